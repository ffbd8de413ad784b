/** What the dev stack's CloudWatch dashboard shows. Plain values: the renderer is a pure function. */
export interface DashboardInput {
    region: string;
    /** ARN suffixes, the form CloudWatch's ALB dimensions take (`app/<name>/<id>`, `targetgroup/<name>/<id>`). */
    loadBalancer: string;
    targetGroup: string;
    /** The nodes' auto scaling group. */
    groupName: string;
    /** Seconds per data point (the controller's check period, so the graphs show what the alarms see). */
    periodSeconds: number;
    cpuHighPercent: number;
    cpuLowPercent: number;
    /** Alarms shown in the status widget: scaling and health. */
    alarmArns: string[];
}

type Metric = (string | Record<string, unknown>)[];

const WIDTH = 12;
const HEIGHT = 6;

function graph(title: string, metrics: Metric[], region: string, period: number, extra: Record<string, unknown> = {}) {
    return {
        type: "metric",
        properties: { title, region, period, view: "timeSeries", stacked: false, metrics, ...extra },
    };
}

/**
 * The dashboard body (CloudWatch's JSON): traffic, errors and latency at the balancer, node health, CPU of the
 * group against the scaling thresholds, and what the group and its warm pool did. Widgets are laid out two per
 * row in the order of a "what is wrong" read: users first, then nodes, then scaling.
 */
export function renderDashboard(input: DashboardInput): string {
    const { region, periodSeconds: period } = input;
    const alb = ["LoadBalancer", input.loadBalancer];
    const tg = ["TargetGroup", input.targetGroup, "LoadBalancer", input.loadBalancer];
    const asg = ["AutoScalingGroupName", input.groupName];
    const widgets = [
        graph(
            "Requests",
            [["AWS/ApplicationELB", "RequestCount", ...alb, { stat: "Sum", label: "requests" }]],
            region,
            period,
        ),
        graph(
            "5xx responses",
            [
                ["AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", ...alb, { stat: "Sum", label: "from nodes" }],
                ["AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", ...alb, { stat: "Sum", label: "from the balancer" }],
            ],
            region,
            period,
        ),
        graph(
            "Target response time (s)",
            [
                ["AWS/ApplicationELB", "TargetResponseTime", ...alb, { stat: "p50", label: "p50" }],
                ["AWS/ApplicationELB", "TargetResponseTime", ...alb, { stat: "p99", label: "p99" }],
            ],
            region,
            period,
        ),
        graph(
            "Healthy hosts",
            [
                ["AWS/ApplicationELB", "HealthyHostCount", ...tg, { stat: "Minimum", label: "healthy" }],
                ["AWS/ApplicationELB", "UnHealthyHostCount", ...tg, { stat: "Maximum", label: "unhealthy" }],
            ],
            region,
            period,
        ),
        graph(
            "CPU of the group (%)",
            [
                ["AWS/EC2", "CPUUtilization", ...asg, { stat: "Maximum", label: "busiest node" }],
                ["AWS/EC2", "CPUUtilization", ...asg, { stat: "Average", label: "average" }],
            ],
            region,
            period,
            {
                yAxis: { left: { min: 0, max: 100 } },
                annotations: {
                    horizontal: [
                        { label: "add a node above", value: input.cpuHighPercent },
                        { label: "remove a node below", value: input.cpuLowPercent },
                    ],
                },
            },
        ),
        graph(
            "Scaling activity (nodes)",
            [
                ["AWS/AutoScaling", "GroupDesiredCapacity", ...asg, { stat: "Maximum", label: "desired" }],
                ["AWS/AutoScaling", "GroupInServiceInstances", ...asg, { stat: "Maximum", label: "in service" }],
                ["AWS/AutoScaling", "GroupPendingInstances", ...asg, { stat: "Maximum", label: "starting" }],
                ["AWS/AutoScaling", "GroupTerminatingInstances", ...asg, { stat: "Maximum", label: "stopping" }],
                [
                    "AWS/AutoScaling",
                    "WarmPoolWarmedCapacity",
                    ...asg,
                    { stat: "Maximum", label: "warm pool (stopped)" },
                ],
            ],
            region,
            period,
        ),
        { type: "alarm", properties: { title: "Problems", alarms: input.alarmArns } },
    ];
    return JSON.stringify({
        widgets: widgets.map((w, i) => ({
            ...w,
            x: (i % 2) * WIDTH,
            y: Math.floor(i / 2) * HEIGHT,
            width: w.type === "alarm" ? 2 * WIDTH : WIDTH,
            height: w.type === "alarm" ? 3 : HEIGHT,
        })),
    });
}
