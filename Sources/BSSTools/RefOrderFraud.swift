/// Reference run of `order-fraud` (docs/bss-jobs.md §4): window results, then the alerts of each firing.
enum RefOrderFraud {
    static let alertTopic = "bss.fraud.alerts"

    static func run(_ input: [InputRecord], job: RefJob = .orderFraud(),
                    rules: [RefFraudRules.Rule] = RefFraudRules.defaults) -> [ExpectedRecord] {
        var fraud = RefFraudRules(rules: rules, slideMs: job.window.slideMs)
        return job.run(input, event: { RefOrderWindow.Event(status: $0.string("status")!, amount: $0.number("amount")!) },
                       onFiring: { (firing: RefFiring<RefOrderWindow>, out: inout [ExpectedRecord]) in
                           let data = firing.aggregate.data(customer: firing.customer, start: firing.start,
                                                            end: firing.end, revision: firing.revision)
                           out.append(job.windowResult(firing, data: data))
                           for alert in fraud.evaluate(firing) {
                               out.append(alertRecord(alert, firing: firing, job: job))
                           }
                       })
    }

    private static func alertRecord(_ alert: RefFraudRules.Alert, firing: RefFiring<RefOrderWindow>,
                                    job: RefJob) -> ExpectedRecord {
        let data: [String: RefJSON] = [
            "customerId": .string(firing.customer),
            "rule": .string(alert.rule.name),
            "value": .number(alert.value),
            "threshold": .number(alert.rule.threshold),
            "windowStart": .string(RefEventTime.format(firing.start)),
            "windowEnd": .string(RefEventTime.format(firing.end)),
            "severity": .string(alert.rule.severity),
        ]
        let value = RefEnvelope.wrap(id: "\(job.name):\(firing.customer):\(firing.start):\(alert.rule.name)",
                                     source: job.outputSource, type: "bss.fraud.alert", time: firing.end,
                                     subject: firing.customer, data: data)
        return ExpectedRecord(topic: alertTopic, key: firing.customer, value: RefJSONWriter.canonical(value))
    }
}
