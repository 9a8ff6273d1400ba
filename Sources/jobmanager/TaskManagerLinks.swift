import Cluster
import Logging
import NIOCore
import NIOPosix
import Synchronization

/// One TCP connection per taskmanager, held open for the taskmanager's life (line protocol:
/// `hello <id> <link key>` and `bye` in, `beat` out). The jobmanager reassigns a taskmanager's tasks at
/// once when its link ends with a plain close (FIN): only the taskmanager's kernel sends that,
/// when its process ends, because a live taskmanager never closes its link. A reset or an error
/// proves nothing about the process (a network fault looks the same), so the loss timeout and
/// the lease still decide those, as they do for a frozen or cut-off taskmanager whose link
/// merely goes silent.
final class TaskManagerLinks: Sendable {
    private let channels = Mutex<[String: any Channel]>([:])
    private let jobManager = Mutex<JobManager?>(nil)
    private let logger: Logger

    init(logger: Logger) { self.logger = logger }

    /// Listens; returns the bound port (announced to taskmanagers at registration).
    func bind(host: String, port: Int) async throws -> Int {
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { [self] channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(LinkHandler(links: self)) }
            }
            .bind(host: host, port: port).get()
        return server.localAddress?.port ?? port
    }

    func serve(_ jobManager: JobManager) { self.jobManager.withLock { $0 = jobManager } }

    fileprivate func attach(_ tmId: String, key: String, _ channel: any Channel) -> Bool {
        guard let jm = jobManager.withLock({ $0 }), jm.linkKeyMatches(tmId, key) else {
            logger.warning("link refused: no taskmanager of that id and key", metadata: ["taskmanager": "\(tmId)"])
            return false
        }
        channels.withLock { $0[tmId] = channel }
        return true
    }

    fileprivate func closed(_ tmId: String, _ channel: any Channel, goodbye: Bool, failure: String?) {
        let current = channels.withLock { c -> Bool in
            guard let held = c[tmId], held === channel else { return false }
            c[tmId] = nil
            return true
        }
        guard current, let jm = jobManager.withLock({ $0 }) else { return }
        if let failure {
            logger.warning("taskmanager link failed; the loss timeout decides", metadata: ["taskmanager": "\(tmId)", "error": "\(failure)"])
            return
        }
        guard jm.processEnded(tmId, reason: goodbye ? "it stopped (link closed after goodbye)" : "its process ended (link closed)") else { return }
        // The other taskmanagers ask for their new tasks now, not at their next heartbeat.
        for other in channels.withLock({ Array($0.values) }) {
            other.writeAndFlush(ByteBuffer(string: "beat\n"), promise: nil)
        }
    }
}

private final class LinkHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    let links: TaskManagerLinks
    private var pending = ""
    private var tmId: String?
    private var goodbye = false
    private var failure: String?

    init(links: TaskManagerLinks) { self.links = links }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        pending += buffer.readString(length: buffer.readableBytes) ?? ""
        while let newline = pending.firstIndex(of: "\n") {
            let line = String(pending[..<newline])
            pending.removeSubrange(...newline)
            if tmId == nil, line.hasPrefix("hello ") {
                let words = line.split(separator: " ")
                guard words.count == 3, links.attach(String(words[1]), key: String(words[2]), context.channel) else {
                    context.close(promise: nil)
                    return
                }
                tmId = String(words[1])
            } else if line == "bye" {
                goodbye = true
            }
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if let e = error as? ChannelError, e == .eof { return }
        failure = "\(error)"
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        if let tmId { links.closed(tmId, context.channel, goodbye: goodbye, failure: failure) }
        context.fireChannelInactive()
    }
}
