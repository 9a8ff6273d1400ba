import BenchSupport
import Foundation
import StreamCore

/// customer-analytics' pipeline with a RocksDB store in a directory of its own (`dir`, for the
/// caller to remove), rows beyond `rowsInMemory` spilling to it.
func customerAnalyticsPipeline(rowsInMemory: Int) throws -> (pipeline: Pipeline, store: RocksDBStore, dir: String) {
    let pipeline = Pipeline(job: try CompiledJob.compile(BenchJobs.job("customer-analytics")).get(), partition: 0)
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("state-memory-\(getpid())").path
    let store = try RocksDBStore(path: dir)
    pipeline.attach(store: store, maxRowsInMemory: rowsInMemory)
    return (pipeline, store, dir)
}

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
