import NIOCore
import NIOPosix

/// A task executor that runs jobs on one NIO event loop. A task that reads one socket prefers
/// the event loop that socket lives on: a connector's frame reader decodes each frame and hands
/// it to the pipeline in the same turn of the loop that read it, instead of waking a thread of
/// the cooperative pool for every frame (a futex wake and two context switches each).
///
/// The `/realtime/ws` clients' senders stay on the cooperative pool: measured with their
/// writes on the client socket's loop, the daemon switched threads less (1.3 against 2.3 times
/// per trade at 10,000 trades/s) but spent as much CPU per trade, and in some runs a client
/// was sent fewer frames (its queue overflowed while the loop was behind).
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
