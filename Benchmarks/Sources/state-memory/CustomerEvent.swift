import StreamCore

/// Feeds `pipeline` the customer event number `i` of `customer` at `millis`; every one is valid.
func processCustomerEvent(_ i: Int, customer: String, atMs millis: Int64, pipeline: Pipeline, into output: inout OutputBatch) throws {
    let value = Array("""
        {"specversion":"1.0","id":"e\(i)","source":"/bss/customers","type":"bss.customer.event","time":"\(RFC3339.format(millis: millis))",\
        "data":{"customerId":"\(customer)","eventType":"PAGE_VIEW","amount":\(i % 100).5}}
        """.utf8)
    try value.withUnsafeBytes { v in
        try Array(customer.utf8).withUnsafeBytes { k in
            guard try pipeline.process(key: k, value: v, offset: Int64(i), into: &output) == .passed else {
                fatalError("generated record is bad")
            }
        }
    }
}
