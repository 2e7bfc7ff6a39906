package dev.logqueue.broker.queue.control;

/**
 * Told of each transaction the committer wrote: how many requests it carried, how many messages it
 * appended, how long it took.
 */
@FunctionalInterface
public interface CommitObserver {

  void committed(int requests, int messages, long nanos);
}
