package dev.logqueue.broker.queue.control;

/** UTF-8 lengths without encoding. */
final class Utf8 {

  private Utf8() {}

  /** The length of {@code text} in UTF-8, or -1 if it holds a lone surrogate (not Unicode). */
  static long length(String text) {
    long length = 0;
    int n = text.length();
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (c < 0x80) {
        length += 1;
      } else if (c < 0x800) {
        length += 2;
      } else if (Character.isHighSurrogate(c)) {
        if (i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
          length += 4;
          i++;
        } else {
          return -1;
        }
      } else if (Character.isLowSurrogate(c)) {
        return -1;
      } else {
        length += 3;
      }
    }
    return length;
  }
}
