import Foundation

/// `--name value` pairs of a harness's command line (every option takes a value); harnesses take a
/// few numbers and lists only.
public struct Arguments {
    private var values: [String: String] = [:]

    /// `usage` is printed for `--help`, and with the error for a malformed command line.
    public init(usage: String, _ arguments: [String] = CommandLine.arguments) {
        if arguments.contains("--help") || arguments.contains("-h") {
            print(usage)
            exit(0)
        }
        var i = 1
        while i < arguments.count {
            let name = arguments[i]
            guard name.hasPrefix("--"), i + 1 < arguments.count else {
                FileHandle.standardError.write(Data("expected --name value at \(name)\n\(usage)\n".utf8))
                exit(2)
            }
            values[String(name.dropFirst(2))] = arguments[i + 1]
            i += 2
        }
    }

    public func string(_ name: String, default value: String) -> String { values[name] ?? value }

    public func int(_ name: String, default value: Int) -> Int {
        guard let text = values[name] else { return value }
        guard let n = Self.number(text) else { fatalError("--\(name): not a number: \(text)") }
        return n
    }

    public func ints(_ name: String, default value: [Int]) -> [Int] {
        guard let text = values[name] else { return value }
        return text.split(separator: ",").map {
            guard let n = Self.number(String($0)) else { fatalError("--\(name): not a number: \($0)") }
            return n
        }
    }

    public func list(_ name: String, default value: [String]) -> [String] {
        values[name].map { $0.split(separator: ",").map(String.init) } ?? value
    }

    /// librdkafka properties given as `--name key=value,...`.
    public func properties(_ name: String) -> [String: String] {
        Dictionary(uniqueKeysWithValues: list(name, default: []).map { pair -> (String, String) in
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { fatalError("--\(name) takes key=value pairs, got \(pair)") }
            return (parts[0], parts[1])
        })
    }

    /// Accepts `10000`, `10K`, `1M`.
    static func number(_ text: String) -> Int? {
        let scale: Int
        var digits = Substring(text)
        switch text.last {
        case "K", "k": scale = 1000; digits = digits.dropLast()
        case "M", "m": scale = 1_000_000; digits = digits.dropLast()
        default: scale = 1
        }
        return Int(digits).map { $0 * scale }
    }
}
