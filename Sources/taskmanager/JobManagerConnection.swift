import Logging
import NIOCore
import NIOPosix
import StreamCore
import Synchronization

/// This taskmanager's end of the jobmanager's link: one TCP connection held open while it is
/// registered, so the jobmanager sees this process end the moment it does. It never closes it
/// while alive except after `bye`; the jobmanager's `beat` asks for a heartbeat now.
final class JobManagerConnection: Sendable {
    let wakeup = Wakeup()
    private let held = Mutex<(tmId: String, channel: any Channel)?>(nil)
    private let logger: Logger

    init(logger: Logger) { self.logger = logger }

    /// Connects for `tmId` unless a connection for it is open.
    func ensure(host: String, port: Int, tmId: String, key: String) async {
        if let current = held.withLock({ $0 }), current.tmId == tmId, current.channel.isActive { return }
        do {
            let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .channelOption(.socketOption(.tcp_nodelay), value: 1)
                .connectTimeout(.seconds(1))
                .channelInitializer { [wakeup] channel in
                    channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(BeatHandler(wakeup: wakeup)) }
                }
                .connect(host: host, port: port).get()
            try await channel.writeAndFlush(ByteBuffer(string: "hello \(tmId) \(key)\n")).get()
            let previous = held.withLock { h in defer { h = (tmId, channel) }; return h }
            if let previous { close(previous.channel) }
            logger.info("link to the jobmanager open", metadata: ["taskmanager": "\(tmId)", "port": "\(port)"])
        } catch {
            logger.warning("cannot open the link to the jobmanager", metadata: ["port": "\(port)", "error": "\(error)"])
        }
    }

    /// Ends the link deliberately; the tasks must have stopped before.
    func goodbye() async {
        guard let current = held.withLock({ h in defer { h = nil }; return h }) else { return }
        close(current.channel)
        try? await current.channel.closeFuture.get()
    }

    private func close(_ channel: any Channel) {
        channel.writeAndFlush(ByteBuffer(string: "bye\n")).whenComplete { _ in channel.close(promise: nil) }
    }
}

/// Cuts the heartbeat loop's sleep short.
final class Wakeup: Sendable {
    private let flag = Atomic<Bool>(false)

    func set() { flag.store(true, ordering: .relaxed) }

    /// Sleeps up to `ms`, less when woken meanwhile.
    func sleep(ms: Int) async {
        let deadline = Lease.now() + UInt64(max(0, ms)) * 1_000_000
        while Lease.now() < deadline {
            if flag.exchange(false, ordering: .relaxed) { return }
            try? await Task.sleep(for: .milliseconds(10))
        }
    }
}

private final class BeatHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    let wakeup: Wakeup

    init(wakeup: Wakeup) { self.wakeup = wakeup }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        // Every line the jobmanager sends is `beat`.
        wakeup.set()
    }
}
