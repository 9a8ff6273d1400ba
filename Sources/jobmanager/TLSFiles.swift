import Foundation
import HummingbirdTLS
import NIOSSL

/// The REST API's certificate and key, read at start: a file that is missing or not PEM is an
/// error naming it, not a failure of the first connection.
enum TLSFiles {
    struct Problem: Error, CustomStringConvertible {
        let description: String
    }

    static func serverConfiguration(certificate: String, key: String) throws -> TLSConfiguration {
        let chain: [NIOSSLCertificate]
        do {
            chain = try NIOSSLCertificate.fromPEMFile(certificate)
        } catch {
            throw Problem(description: "\(certificate): cannot read a PEM certificate (\(error))")
        }
        guard !chain.isEmpty else { throw Problem(description: "\(certificate): no certificate in the file") }
        let privateKey: NIOSSLPrivateKey
        do {
            privateKey = try NIOSSLPrivateKey(file: key, format: .pem)
        } catch {
            throw Problem(description: "\(key): cannot read a PEM private key (\(error))")
        }
        return TLSConfiguration.makeServerConfiguration(certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(privateKey))
    }
}
