import Cluster
import Hummingbird
import Prometheus

/// The jobmanager's HTTP surface: one small handler per endpoint.
enum RestAPI {
    static func router(jobManager: JobManager, token: String?, registry: PrometheusCollectorRegistry) -> Router<BasicRequestContext> {
        let router = Router()
        router.add(middleware: BearerTokenMiddleware(token: token))
        router.get("/healthz", use: HealthHandler().handle)
        router.get("/overview", use: ClusterOverviewHandler(jobManager: jobManager).handle)
        router.get("/metrics", use: MetricsHandler(jobManager: jobManager, registry: registry).handle)
        router.get("/jobs", use: JobsOverviewHandler(jobManager: jobManager).handle)
        router.post("/jobs", use: JobSubmitHandler(jobManager: jobManager).handle)
        router.get("/jobs/:id", use: JobDetailsHandler(jobManager: jobManager).handle)
        router.get("/jobs/:id/checkpoints", use: CheckpointStatisticsHandler(jobManager: jobManager).handle)
        router.post("/jobs/:id/cancel", use: JobCancellationHandler(jobManager: jobManager).handle)
        router.get("/taskmanagers", use: TaskManagersHandler(jobManager: jobManager).handle)
        router.post("/taskmanagers", use: TaskManagerRegistrationHandler(jobManager: jobManager).handle)
        router.post("/taskmanagers/:id/heartbeat", use: HeartbeatHandler(jobManager: jobManager).handle)
        return router
    }
}
