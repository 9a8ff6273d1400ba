import Foundation

/// Records/s of one engine-only configuration over several runs, as ranges.
public struct ThroughputResult: Codable, Sendable {
    public let job: String
    public let stage: String
    public let events: Int
    public let customers: Int
    public var outRecords = 0
    public private(set) var wallPerSecond: [Double] = []
    public private(set) var cpuPerSecond: [Double] = []

    public init(job: String, stage: String, events: Int, customers: Int) {
        self.job = job
        self.stage = stage
        self.events = events
        self.customers = customers
    }

    public mutating func add(wall: Double, cpu: Double) {
        wallPerSecond.append(Double(events) / wall)
        cpuPerSecond.append(Double(events) / cpu)
    }

    public func line(generateSeconds: Double) -> String {
        func range(_ v: [Double]) -> String {
            "\(Self.rate(v.min() ?? 0)) - \(Self.rate(v.max() ?? 0))".padding(toLength: 25, withPad: " ", startingAt: 0)
        }
        return [job.padding(toLength: 20, withPad: " ", startingAt: 0), stage.padding(toLength: 7, withPad: " ", startingAt: 0),
                String(events).padding(toLength: 11, withPad: " ", startingAt: 0),
                String(customers).padding(toLength: 11, withPad: " ", startingAt: 0),
                String(format: "%-11.1f", generateSeconds), range(wallPerSecond), range(cpuPerSecond),
                String(outRecords)].joined(separator: "")
    }

    /// `2.41M`, `870K`.
    public static func rate(_ v: Double) -> String {
        v >= 1e6 ? String(format: "%.2fM", v / 1e6) : String(format: "%.0fK", v / 1e3)
    }
}
