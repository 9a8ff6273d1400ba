import Foundation

/// Calls `onStop` on SIGINT or SIGTERM (once), instead of dying mid-checkpoint.
final class StopSignals {
    private let sources: [any DispatchSourceSignal]

    init(onStop: @escaping @Sendable () -> Void) {
        sources = [SIGINT, SIGTERM].map { sig in
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler(handler: onStop)
            source.resume()
            return source
        }
    }
}
