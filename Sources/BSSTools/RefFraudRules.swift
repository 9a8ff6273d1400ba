/// docs/bss-jobs.md §4's threshold rules with the alert dedup against the previous sliding window.
struct RefFraudRules {
    enum Metric: Sendable {
        case createdCount, createdAmount
        case statusCount(String)

        func value(in window: RefOrderWindow) -> Double {
            switch self {
            case .createdCount: Double(window.createdCount)
            case .createdAmount: window.createdAmount
            case .statusCount(let status): Double(window.statusCounts[status] ?? 0)
            }
        }
    }

    struct Rule: Sendable {
        let name: String
        let metric: Metric
        let threshold: Double
        let severity: String
    }

    struct Alert {
        let rule: Rule
        let value: Double
    }

    static let defaults: [Rule] = [
        Rule(name: "VELOCITY", metric: .createdCount, threshold: 5, severity: "MEDIUM"),
        Rule(name: "HIGH_VALUE", metric: .createdAmount, threshold: 10000, severity: "HIGH"),
        Rule(name: "PAYMENT_FAILURES", metric: .statusCount("PAYMENT_FAILED"), threshold: 3, severity: "MEDIUM"),
    ]

    private struct AlertKey: Hashable {
        let window: RefWindowKey
        let rule: String
    }

    let rules: [Rule]
    let slideMs: Int64
    /// Rules that tripped on the latest firing of each window, kept for the whole run.
    private var tripped: [RefWindowKey: Set<String>] = [:]
    private var raised: Set<AlertKey> = []

    init(rules: [Rule] = RefFraudRules.defaults, slideMs: Int64) {
        self.rules = rules
        self.slideMs = slideMs
    }

    /// Alerts raised by this firing, in rule order.
    mutating func evaluate(_ firing: RefFiring<RefOrderWindow>) -> [Alert] {
        let window = RefWindowKey(customer: firing.customer, start: firing.start)
        let previous = tripped[RefWindowKey(customer: firing.customer, start: firing.start - slideMs)] ?? []
        var trippedNow: Set<String> = []
        var alerts: [Alert] = []
        for rule in rules {
            let value = rule.metric.value(in: firing.aggregate)
            guard value >= rule.threshold else { continue }
            trippedNow.insert(rule.name)
            if !previous.contains(rule.name), raised.insert(AlertKey(window: window, rule: rule.name)).inserted {
                alerts.append(Alert(rule: rule, value: value))
            }
        }
        tripped[window] = trippedNow
        return alerts
    }
}
