import NIOCore
import NIOPosix

/// A task executor that runs jobs on one NIO event loop. A task that reads one socket prefers
/// the event loop that socket lives on: a connector's frame reader decodes each frame and hands
/// it to the pipeline in the same turn of the loop that read it, instead of waking a thread of
/// the cooperative pool for every frame (a futex wake and two context switches each).
///
/// Not for writers: a task that writes from the loop flushes every message at once, where
/// writes from another thread are gathered into one flush per turn of the loop (measured: the
/// WebSocket clients' senders stay on the pool).
public final class EventLoopExecutor: TaskExecutor {
    /// The loop jobs run on.
    public let eventLoop: any EventLoop

    public init(_ eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    /// An executor on the next loop of NIO's shared event loop group (where sockets opened
    /// with that loop as their group live).
    public static func next() -> EventLoopExecutor {
        EventLoopExecutor(MultiThreadedEventLoopGroup.singleton.next())
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
