/// Where the ``Broadcaster`` puts one subscriber's messages: a bounded queue that never makes
/// the publisher wait. Called from any thread, possibly several at once.
protocol BroadcastSink: Sendable {
    /// Queues `message`; false when the queue is full (the message is dropped and counted).
    func offer(_ message: BroadcastMessage) -> Bool
    /// No more messages: the subscriber was removed or evicted.
    func finish()
}
