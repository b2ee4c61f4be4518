extension Coinbase {
    /// Checks Advanced Trade's `sequence_num`, which rises by one with every message on the
    /// connection, across all channels. A jump means messages were lost somewhere on the
    /// connection: drop every book and resubscribe (or reconnect).
    public struct SequenceTracker: Sendable, Equatable {
        /// The result of one check.
        public enum Check: Sendable, Equatable {
            case inOrder
            /// Not above the last one: ignore the message (count it as out of order).
            case stale
            /// Numbers were skipped.
            case gap(expected: UInt64, received: UInt64)
        }

        /// The highest number seen.
        public private(set) var last: UInt64?

        public init() {}

        /// Checks the next frame's number. The first one seen is taken as the start.
        public mutating func observe(_ sequence: UInt64) -> Check {
            guard let last else {
                self.last = sequence
                return .inOrder
            }
            if sequence <= last { return .stale }
            self.last = sequence
            return sequence == last + 1 ? .inOrder : .gap(expected: last + 1, received: sequence)
        }

        /// Starts over (a new connection numbers from 0 again).
        public mutating func reset() { last = nil }
    }
}
