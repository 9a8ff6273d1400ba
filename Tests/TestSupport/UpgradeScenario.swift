import Foundation
import Jobs
import StreamCore

/// A change of `order-fraud`'s VELOCITY threshold (5 -> 3) at a savepoint, on input small enough
/// to know by heart: C9's burst of 5 orders alerts and its windows fire before the switch, C8's 3
/// orders come after it and alert only under the new threshold.
public enum UpgradeScenario {
    /// C9's burst (5 orders) and a later C7 order that moves the watermark past all C9 windows.
    public static let beforeSwitch = (1...5).map { order("a\($0)", "2025-11-04T10:00:\($0)0Z", "C9") }
        + [order("a6", "2025-11-04T10:30:00Z", "C7")]
    /// C8's burst of 3, then a C7 order; windows fire after the switch.
    public static let afterSwitch = (1...3).map { order("b\($0)", "2025-11-04T10:31:\($0)0Z", "C8") }
        + [order("b4", "2025-11-04T11:00:00Z", "C7")]

    public static let thresholdFive = "{ rule: VELOCITY,         metric: createdCount,                threshold: 5,"
    public static let thresholdThree = "{ rule: VELOCITY,         metric: createdCount,                threshold: 3,"

    static func order(_ id: String, _ time: String, _ customer: String) -> (key: String, value: String) {
        (customer, """
            {"specversion":"1.0","id":"\(id)","source":"/bss/orders","type":"bss.order.event","time":"\(time)",\
            "subject":"\(customer)","datacontenttype":"application/json","data":{"orderId":"O-\(id)","customerId":"\(customer)","status":"CREATED","amount":100,"currency":"EUR"}}
            """)
    }

    /// jobs.yaml with checkpoints every 50 ms, and `replacing` (which it must hold) replaced.
    public static func definitions(replacing: String? = nil, with: String = "") throws -> String {
        var text = try String(contentsOfFile: "\(packageRoot)/jobs.yaml", encoding: .utf8)
            .replacingOccurrences(of: "checkpointInterval: 10s", with: "checkpointInterval: 50ms")
        if let replacing {
            guard text.contains(replacing) else { throw TestFailure("jobs.yaml has no \(replacing)") }
            text = text.replacingOccurrences(of: replacing, with: with)
        }
        return text
    }

    /// A bounded in-process run of `job` over all input on a fresh cluster: what one definition alone writes.
    public static func reference(_ job: JobSpec) throws -> (alerts: [String], windows: [String]) {
        let fixture = try ClusterFixture(partitions: 1)
        try fixture.produce("bss.order.events", beforeSwitch + afterSwitch)
        try LocalJobRunner(jobs: [job], options: .init(bootstrapServers: fixture.cluster.bootstrapServers, bounded: true,
                                                        checkpointDir: temporaryDirectory("reference"))).run()
        return (try fixture.values("bss.fraud.alerts"), try fixture.values("bss.analytics.events"))
    }

    /// What an exact switch writes: every window once, as either definition alone writes them (the
    /// threshold does not change them); C9's alert from the old definition, C8's from the new one.
    public static func expectedOutput(old: String, new: String) throws -> (alerts: [String], windows: [String]) {
        let oldOnly = try reference(JobDefinitionLoader.load(yaml: old, file: "old").first { $0.name == "order-fraud" }!)
        let newOnly = try reference(JobDefinitionLoader.load(yaml: new, file: "new").first { $0.name == "order-fraud" }!)
        guard newOnly.alerts.contains(where: { $0.contains("\"subject\":\"C9\"") && $0.contains("\"threshold\":3") }) else {
            throw TestFailure("the new definition alone would alert C9 at threshold 3: the scenario tells the definitions apart")
        }
        let alerts = oldOnly.alerts.filter { $0.contains("\"subject\":\"C9\"") } + newOnly.alerts.filter { $0.contains("\"subject\":\"C8\"") }
        guard alerts.count == 2 else { throw TestFailure("expected one alert of C9 and one of C8, found \(alerts)") }
        return (alerts.sorted(), oldOnly.windows.sorted())
    }
}
