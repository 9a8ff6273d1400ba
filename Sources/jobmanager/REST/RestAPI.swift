import Cluster
import Hummingbird
import Logging
import Prometheus

/// The jobmanager's HTTP surface: one small handler per endpoint, and the console's files.
enum RestAPI {
    /// Every route, as `GET /openapi.json` documents it (the test checks they agree).
    static func router(jobManager: JobManager, token: String?, readToken: String? = nil, registry: PrometheusCollectorRegistry,
                       console: ConsoleFiles, logger: Logger) -> Router<BasicRequestContext> {
        let router = Router()
        router.add(middleware: JSONErrorMiddleware(logger: logger))
        router.add(middleware: BearerTokenMiddleware(token: token, readToken: readToken))
        router.get("/healthz", use: HealthHandler().handle)
        router.get("/overview", use: ClusterOverviewHandler(jobManager: jobManager).handle)
        router.get("/metrics", use: MetricsHandler(jobManager: jobManager, registry: registry).handle)
        router.get("/jobs", use: JobsOverviewHandler(jobManager: jobManager).handle)
        router.post("/jobs", use: JobSubmitHandler(jobManager: jobManager).handle)
        router.get("/jobs/:id", use: JobDetailsHandler(jobManager: jobManager).handle)
        router.get("/jobs/:id/checkpoints", use: CheckpointStatisticsHandler(jobManager: jobManager).handle)
        router.get("/jobs/:id/exceptions", use: JobExceptionsHandler(jobManager: jobManager).handle)
        router.get("/jobs/:id/plan", use: JobPlanHandler(jobManager: jobManager).handle)
        router.post("/jobs/:id/cancel", use: JobCancellationHandler(jobManager: jobManager).handle)
        router.post("/jobs/:id/stop", use: JobStopHandler(jobManager: jobManager).handle)
        router.post("/jobs/:id/savepoints", use: SavepointTriggerHandler(jobManager: jobManager).handle)
        let savepoints = SavepointStatusHandler(jobManager: jobManager)
        router.get("/jobs/:id/savepoints", use: savepoints.list)
        router.get("/jobs/:id/savepoints/:requestId", use: savepoints.one)
        router.get("/taskmanagers", use: TaskManagersHandler(jobManager: jobManager).handle)
        router.post("/taskmanagers", use: TaskManagerRegistrationHandler(jobManager: jobManager).handle)
        router.get("/taskmanagers/:id", use: TaskManagerDetailsHandler(jobManager: jobManager).handle)
        router.post("/taskmanagers/:id/heartbeat", use: HeartbeatHandler(jobManager: jobManager).handle)
        router.get("/openapi.json") { _, _ in try console.response(for: "openapi.json") }
        router.get("/") { _, _ in try console.response(for: "index.html") }
        router.get("/console/:file") { _, context in try console.response(for: context.parameters.require("file")) }
        return router
    }
}
