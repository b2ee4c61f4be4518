import NIOCore

/// A task executor that runs jobs on one NIO event loop. A connection's frame reader prefers
/// the event loop its socket lives on, so a frame is decoded and handed to the pipeline on that
/// thread in the same turn of the loop that read it, instead of waking a thread of the
/// cooperative pool for every frame (a futex wake and two context switches each).
final class EventLoopExecutor: TaskExecutor {
    let eventLoop: any EventLoop

    init(_ eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
