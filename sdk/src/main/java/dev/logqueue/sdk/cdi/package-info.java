/** CDI producers that make the SDK's facades injectable, configured by MicroProfile Config. */
package dev.logqueue.sdk.cdi;
