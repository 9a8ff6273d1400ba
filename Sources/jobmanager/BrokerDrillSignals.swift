import Foundation
import StreamCore

/// `embedded-kafka`'s fault drill: SIGUSR1 takes every broker down, SIGUSR2 brings them up, so
/// an operator (or a test) sees what jobs do while Kafka is unreachable.
final class BrokerDrillSignals {
    private let sources: [any DispatchSourceSignal]

    init(_ cluster: EmbeddedKafkaCluster) {
        sources = [(SIGUSR1, true), (SIGUSR2, false)].map { sig, down in
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler {
                do {
                    if down { try cluster.setBrokersDown() } else { try cluster.setBrokersUp() }
                    FileHandle.standardError.write(Data("embedded Kafka cluster: brokers \(down ? "down" : "up") (fault drill)\n".utf8))
                } catch {
                    FileHandle.standardError.write(Data("embedded Kafka cluster: \(error)\n".utf8))
                }
            }
            source.resume()
            return source
        }
    }
}
