/// Reference run of `customer-analytics` (docs/bss-jobs.md §3).
enum RefCustomerAnalytics {
    static func run(_ input: [InputRecord], job: RefJob = .customerAnalytics()) -> [ExpectedRecord] {
        job.run(input, event: { RefCustomerWindow.Event(eventType: $0.string("eventType")!, amount: $0.number("amount")) },
                onFiring: { (firing: RefFiring<RefCustomerWindow>, out: inout [ExpectedRecord]) in
                    let data = firing.aggregate.data(customer: firing.customer, start: firing.start,
                                                     end: firing.end, revision: firing.revision)
                    out.append(job.windowResult(firing, data: data))
                })
    }
}
