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
import software.constructs.Construct;

/**
 * What tells an operator something is wrong: poison messages in a dead-letter queue, task-manager
 * errors or passes near their timeout, the reaper ending jobs (runners lost), API 5xx. Alarms go
 * to an SNS topic operators subscribe to; a dashboard shows the same.
 */
public final class Monitoring extends Construct {
    final Topic alarms;

    public Monitoring(Construct scope, String id, String prefix, FunctionsLayer functions, MessagingLayer messaging) {
        super(scope, id);
        alarms = Topic.Builder.create(this, "Alarms").topicName(prefix + "alarms").build();
        List<Alarm> all = new ArrayList<>();
        messaging.deadLetterQueues().forEach((name, dlq) -> all.add(alarm("DeadLetters-" + name,
                "Messages the " + name + " consumer could not handle wait in its dead-letter queue",
                dlq.metricApproximateNumberOfMessagesVisible(MetricOptions.builder().period(Duration.minutes(5)).build()), 1)));
        all.add(alarm("TaskManagerErrors", "The task manager failed",
                functions.taskManager.metricErrors(MetricOptions.builder().period(Duration.minutes(5)).build()), 1));
        all.add(alarm("TaskManagerNearTimeout", "A task-manager pass took over 80 % of its timeout",
                functions.taskManager.metricDuration(MetricOptions.builder().period(Duration.minutes(5)).statistic("Maximum").build()),
                48_000));
        Metric reaped = MetricFilter.Builder.create(this, "ReapedJobs").logGroup(functions.reaperLogs)
                .filterPattern(FilterPattern.literal("\"reaped job\"")).metricNamespace("Towerless").metricName("ReapedJobs")
                .metricValue("1").defaultValue(0).build().metric(MetricOptions.builder().statistic("Sum").period(Duration.minutes(5)).build());
        all.add(alarm("RunnersLost", "The reaper ended jobs whose runners were lost or stopped", reaped, 1));
        all.add(alarm("SchedulerErrors", "The scheduler failed: users' schedules may not be launching",
                functions.scheduler.metricErrors(MetricOptions.builder().period(Duration.minutes(5)).build()), 1));
        all.add(alarm("Api5xx", "The API answered with server errors",
                functions.restApi.metricServerError(MetricOptions.builder().period(Duration.minutes(5)).statistic("Sum").build()), 5));
        all.forEach(a -> a.addAlarmAction(new software.amazon.awscdk.services.cloudwatch.actions.SnsAction(alarms)));

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

    private Alarm alarm(String name, String description, software.amazon.awscdk.services.cloudwatch.IMetric metric, double threshold) {
        return Alarm.Builder.create(this, name).alarmDescription(description).metric(metric).threshold(threshold)
                .evaluationPeriods(1).comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
                .treatMissingData(TreatMissingData.NOT_BREACHING).build();
    }

}
