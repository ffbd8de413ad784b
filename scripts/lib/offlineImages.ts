/**
 * The monitoring images scripts/prepare-offline-images.sh builds from Debian's packages, and the offline
 * monitoring config: Grafana and cAdvisor left out (Debian packages neither, and no registry is reachable).
 */
export const OFFLINE_MONITORING = {
    prometheusImage: "cloudlab/prometheus:bookworm",
    alertmanagerImage: "cloudlab/alertmanager:bookworm",
    grafanaImage: "",
    cadvisorImage: "",
} as const;

/** The offline monitoring config, with the images the test run prepared (env) where it names them. */
export function offlineMonitoring(env: NodeJS.ProcessEnv): Record<keyof typeof OFFLINE_MONITORING, string> {
    return {
        ...OFFLINE_MONITORING,
        prometheusImage: env.CLOUDLAB_TEST_PROMETHEUS_IMAGE?.trim() || OFFLINE_MONITORING.prometheusImage,
        alertmanagerImage: env.CLOUDLAB_TEST_ALERTMANAGER_IMAGE?.trim() || OFFLINE_MONITORING.alertmanagerImage,
    };
}
