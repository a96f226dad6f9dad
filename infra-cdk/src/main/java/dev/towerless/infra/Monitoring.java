package dev.towerless.infra;

import java.util.ArrayList;
import java.util.List;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.Dashboard;
import software.amazon.awscdk.services.cloudwatch.GraphWidget;
import software.amazon.awscdk.services.cloudwatch.IWidget;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.MetricOptions;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.logs.FilterPattern;
import software.amazon.awscdk.services.logs.MetricFilter;
import software.amazon.awscdk.services.sns.Topic;
import dev.towerless.core.scheduling.TaskManager;
import software.constructs.Construct;

/**
 * What tells an operator something is wrong: poison messages in a dead-letter queue (the queues'
 * and EventBridge's), any function's errors or throttles, task-manager passes near their timeout,
 * runners ECS would not start, the reaper ending jobs (runners lost), API 5xx, EventBridge
 * FailedInvocations, and a one-minute tick that stopped invoking (missing data is breaching: a
 * rule that never fires reports nothing at all). Everything else treats missing data as fine,
 * because no errors is no data. Alarms go to an SNS topic operators subscribe to; a dashboard
 * shows the same.
 */
public final class Monitoring extends Construct {
    final Topic alarms;
    /** Every alarm, for the tests. */
    final List<Alarm> alarmList;

    public Monitoring(Construct scope, String id, String prefix, FunctionsLayer functions, MessagingLayer messaging) {
        super(scope, id);
        // CloudWatch publishes alarms only to a topic whose key grants it (not alias/aws/sns).
        alarms = Topic.Builder.create(this, "Alarms").topicName(prefix + "alarms").enforceSsl(true)
                .masterKey(messaging.serviceTopicsKey).build();
        List<Alarm> all = new ArrayList<>();
        MetricOptions fiveMinutes = MetricOptions.builder().period(Duration.minutes(5)).statistic("Sum").build();
        messaging.deadLetterQueues().forEach((name, dlq) -> all.add(alarm("DeadLetters-" + name,
                "Messages the " + name + " consumer could not handle wait in its dead-letter queue",
                dlq.metricApproximateNumberOfMessagesVisible(MetricOptions.builder().period(Duration.minutes(5)).build()), 1)));
        all.add(alarm("DeadLetters-events", "EventBridge could not deliver a scheduled tick, nightly housekeeping or a stopped "
                        + "runner's event after its retries (or Lambda could not run it): see the events dead-letter queue",
                functions.eventDeadLetters.metricApproximateNumberOfMessagesVisible(
                        MetricOptions.builder().period(Duration.minutes(5)).build()), 1));
        // Errors: a failed task-manager pass fails its invocation (WakeConsumer), so it counts here.
        functions.all.forEach((name, f) -> all.add(alarm(name + "Errors", "The " + name + " function failed",
                f.metricErrors(fiveMinutes), 1)));
        functions.all.forEach((name, f) -> all.add(alarm(name + "Throttles",
                "Lambda throttled the " + name + " function (account concurrency, or its reserved concurrency)",
                f.metricThrottles(fiveMinutes), 1)));
        all.add(alarm("TaskManagerNearTimeout", "A task-manager pass took over 80 % of its timeout",
                functions.taskManager.metricDuration(MetricOptions.builder().period(Duration.minutes(5)).statistic("Maximum").build()),
                FunctionsLayer.TASK_MANAGER_TIMEOUT.toMilliseconds().doubleValue() * 0.8));
        Metric reaped = MetricFilter.Builder.create(this, "ReapedJobs").logGroup(functions.reaperLogs)
                .filterPattern(FilterPattern.literal("\"reaped job\"")).metricNamespace("Towerless").metricName("ReapedJobs")
                .metricValue("1").defaultValue(0).build().metric(MetricOptions.builder().statistic("Sum").period(Duration.minutes(5)).build());
        all.add(alarm("RunnersLost", "The reaper ended jobs whose runners were lost or stopped", reaped, 1));
        // The task manager logs these phrases (TaskManager.LAUNCH_FAILED / LAUNCH_UNCONFIRMED) for every such launch.
        Metric launchFailures = logMetric("LaunchFailures", functions.taskManagerLogs, TaskManager.LAUNCH_FAILED);
        all.add(alarm("LaunchFailures", "ECS refused to start runners for a reason retrying will not fix "
                + "(task definition, role, subnets): the jobs ended in error, with ECS's reason", launchFailures, 1));
        Metric unconfirmed = logMetric("LaunchesUnconfirmed", functions.taskManagerLogs, TaskManager.LAUNCH_UNCONFIRMED);
        all.add(alarm("LaunchesUnconfirmed", "ECS did not answer RunTask: the jobs wait for their runners or the reaper",
                unconfirmed, 1));
        all.add(alarm("Api5xx", "The API answered with server errors",
                functions.restApi.metricServerError(MetricOptions.builder().period(Duration.minutes(5)).statistic("Sum").build()), 5));
        functions.rules.forEach((name, rule) -> all.add(alarm(name + "FailedInvocations",
                "EventBridge could not invoke the targets of " + name, eventsMetric("FailedInvocations", rule), 1)));
        // A tick rule that stops invoking is silence, not an error: missing data counts as breaching.
        functions.ticks.forEach((name, rule) -> all.add(Alarm.Builder.create(this, name + "Stopped")
                .alarmDescription(name + " invoked nothing for ten minutes: the control plane may have stopped")
                .metric(eventsMetric("Invocations", rule)).threshold(1).evaluationPeriods(2)
                .comparisonOperator(ComparisonOperator.LESS_THAN_THRESHOLD).treatMissingData(TreatMissingData.BREACHING).build()));
        all.forEach(a -> a.addAlarmAction(new software.amazon.awscdk.services.cloudwatch.actions.SnsAction(alarms)));
        this.alarmList = all;

        List<IWidget> widgets = new ArrayList<>();
        widgets.add(GraphWidget.Builder.create().title("API requests and errors").left(List.of(
                functions.restApi.metricCount(), functions.restApi.metricServerError(), functions.restApi.metricClientError())).build());
        widgets.add(GraphWidget.Builder.create().title("Task manager").left(List.of(functions.taskManager.metricInvocations(),
                functions.taskManager.metricErrors())).right(List.of(functions.taskManager.metricDuration())).build());
        widgets.add(GraphWidget.Builder.create().title("Scheduler").left(List.of(functions.scheduler.metricInvocations(),
                functions.scheduler.metricErrors())).right(List.of(functions.scheduler.metricDuration())).build());
        widgets.add(GraphWidget.Builder.create().title("Reaper").left(List.of(reaped, functions.reaper.metricErrors())).build());
        List<software.amazon.awscdk.services.cloudwatch.IMetric> depths = new ArrayList<>();
        messaging.deadLetterQueues().values().forEach(q -> depths.add(q.metricApproximateNumberOfMessagesVisible()));
        widgets.add(GraphWidget.Builder.create().title("Dead-letter queues").left(depths).build());
        Dashboard.Builder.create(this, "Dashboard").dashboardName(prefix + "operations").widgets(List.of(widgets)).build();
    }

    /** Counts log events of {@code group} that contain {@code phrase}. */
    private Metric logMetric(String name, software.amazon.awscdk.services.logs.ILogGroup group, String phrase) {
        return MetricFilter.Builder.create(this, name + "Filter").logGroup(group).filterPattern(FilterPattern.literal("\"" + phrase + "\""))
                .metricNamespace("Towerless").metricName(name).metricValue("1").defaultValue(0).build()
                .metric(MetricOptions.builder().statistic("Sum").period(Duration.minutes(5)).build());
    }

    private static Metric eventsMetric(String metric, software.amazon.awscdk.services.events.Rule rule) {
        return Metric.Builder.create().namespace("AWS/Events").metricName(metric)
                .dimensionsMap(java.util.Map.of("RuleName", rule.getRuleName())).statistic("Sum").period(Duration.minutes(5)).build();
    }

    private Alarm alarm(String name, String description, software.amazon.awscdk.services.cloudwatch.IMetric metric, double threshold) {
        return Alarm.Builder.create(this, name).alarmDescription(description).metric(metric).threshold(threshold)
                .evaluationPeriods(1).comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
                .treatMissingData(TreatMissingData.NOT_BREACHING).build();
    }

}
