/** What every endpoint shares: parsing JSON requests, success replies, the JSON failure body. */
package dev.logqueue.broker.http.boundary;
