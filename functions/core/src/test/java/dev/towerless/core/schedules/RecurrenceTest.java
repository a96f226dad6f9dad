package dev.towerless.core.schedules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RecurrenceTest {

    private static Instant at(String iso) {
        return Instant.parse(iso);
    }

    @Test
    void dailyRuleRunsNextAtTheSameTimeTomorrow() {
        Recurrence r = Recurrence.parse("DTSTART:20300308T050000Z RRULE:FREQ=DAILY;INTERVAL=1");
        assertThat(r.timezone()).isEqualTo("UTC");
        assertThat(r.first()).contains(at("2030-03-08T05:00:00Z"));
        assertThat(r.nextAfter(at("2030-03-10T06:00:00Z"))).contains(at("2030-03-11T05:00:00Z"));
        assertThat(r.nextAfter(at("2030-03-11T05:00:00Z"))).as("strictly after").contains(at("2030-03-12T05:00:00Z"));
        assertThat(r.nextAfter(at("2020-01-01T00:00:00Z"))).as("before DTSTART").contains(at("2030-03-08T05:00:00Z"));
        assertThat(r.last()).as("unbounded").isEmpty();
        assertThat(r.until()).isEmpty();
    }

    @Test
    void weeklyOnChosenDays() {
        // 2030-03-04 is a Monday
        Recurrence r = Recurrence.parse("DTSTART:20300304T090000Z RRULE:FREQ=WEEKLY;INTERVAL=1;BYDAY=MO,WE,FR");
        assertThat(r.upcoming(at("2030-03-04T09:00:00Z"), 5)).containsExactly(at("2030-03-04T09:00:00Z"),
                at("2030-03-06T09:00:00Z"), at("2030-03-08T09:00:00Z"), at("2030-03-11T09:00:00Z"), at("2030-03-13T09:00:00Z"));
    }

    @Test
    void everyOtherWeekSkipsTheWeekBetween() {
        Recurrence r = Recurrence.parse("DTSTART:20300304T090000Z RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=TU");
        assertThat(r.upcoming(at("2030-03-01T00:00:00Z"), 3)).containsExactly(at("2030-03-05T09:00:00Z"),
                at("2030-03-19T09:00:00Z"), at("2030-04-02T09:00:00Z"));
    }

    @Test
    void firstMondayAndLastDayOfTheMonth() {
        Recurrence firstMonday = Recurrence.parse("DTSTART:20300101T060000Z RRULE:FREQ=MONTHLY;INTERVAL=1;BYDAY=MO;BYSETPOS=1");
        assertThat(firstMonday.upcoming(at("2030-01-01T00:00:00Z"), 3)).containsExactly(at("2030-01-07T06:00:00Z"),
                at("2030-02-04T06:00:00Z"), at("2030-03-04T06:00:00Z"));
        Recurrence lastDay = Recurrence.parse("DTSTART:20300101T060000Z RRULE:FREQ=MONTHLY;INTERVAL=1;BYMONTHDAY=-1");
        assertThat(lastDay.upcoming(at("2030-01-01T00:00:00Z"), 3)).containsExactly(at("2030-01-31T06:00:00Z"),
                at("2030-02-28T06:00:00Z"), at("2030-03-31T06:00:00Z"));
    }

    @Test
    void aMonthlyRuleOnThe31stSkipsShortMonths() {
        Recurrence r = Recurrence.parse("DTSTART:20300131T060000Z RRULE:FREQ=MONTHLY;INTERVAL=1");
        assertThat(r.upcoming(at("2030-01-01T00:00:00Z"), 3)).containsExactly(at("2030-01-31T06:00:00Z"),
                at("2030-03-31T06:00:00Z"), at("2030-05-31T06:00:00Z"));
    }

    @Test
    void countEndsTheRuleAndGivesItsLastRun() {
        Recurrence r = Recurrence.parse("DTSTART:20300308T050000Z RRULE:FREQ=HOURLY;INTERVAL=6;COUNT=3");
        assertThat(r.last()).contains(at("2030-03-08T17:00:00Z"));
        assertThat(r.nextAfter(at("2030-03-08T12:00:00Z"))).contains(at("2030-03-08T17:00:00Z"));
        assertThat(r.nextAfter(at("2030-03-08T17:00:00Z"))).as("exhausted").isEmpty();
    }

    @Test
    void aNaiveUntilIsReadInTheStartZoneAndStoredInUtc() {
        Recurrence r = Recurrence.parse(
                "DTSTART;TZID=America/New_York:20300301T090000 RRULE:FREQ=DAILY;INTERVAL=1;UNTIL=20300305T090000");
        assertThat(r.text()).isEqualTo(
                "DTSTART;TZID=America/New_York:20300301T090000 RRULE:FREQ=DAILY;INTERVAL=1;UNTIL=20300305T140000Z");
        assertThat(r.timezone()).isEqualTo("America/New_York");
        assertThat(r.until()).isEqualTo("2030-03-05T09:00:00");
        assertThat(r.first()).contains(at("2030-03-01T14:00:00Z"));
        assertThat(r.last()).contains(at("2030-03-05T14:00:00Z"));
        assertThat(r.nextAfter(at("2030-03-05T14:00:00Z"))).isEmpty();
    }

    @Test
    void localTimesFollowDaylightSavingAndSkipTheGap() {
        // New York springs forward at 02:00 on 2030-03-10: 02:30 does not exist that day.
        Recurrence r = Recurrence.parse("DTSTART;TZID=America/New_York:20300301T023000 RRULE:FREQ=DAILY;INTERVAL=1");
        assertThat(r.upcoming(at("2030-03-09T00:00:00Z"), 3)).containsExactly(
                at("2030-03-09T07:30:00Z"), // 02:30 EST
                at("2030-03-11T06:30:00Z"), // 02:30 EDT; the 10th is skipped
                at("2030-03-12T06:30:00Z"));
    }

    @Test
    void anExruleRemovesOccurrences() {
        // 2030-03-08 is a Friday; Saturdays and Sundays are excluded
        Recurrence r = Recurrence.parse("DTSTART:20300308T050000Z RRULE:FREQ=DAILY;INTERVAL=1 "
                + "EXRULE:FREQ=WEEKLY;INTERVAL=1;BYDAY=SA,SU");
        assertThat(r.upcoming(at("2030-03-08T00:00:00Z"), 2)).containsExactly(at("2030-03-08T05:00:00Z"),
                at("2030-03-11T05:00:00Z"));
    }

    @Test
    void severalRulesMerge() {
        Recurrence r = Recurrence.parse("DTSTART:20300308T050000Z RRULE:FREQ=WEEKLY;INTERVAL=1;BYDAY=MO "
                + "RRULE:FREQ=WEEKLY;INTERVAL=1;BYDAY=TH;BYHOUR=22;BYMINUTE=15");
        assertThat(r.upcoming(at("2030-03-09T00:00:00Z"), 3)).containsExactly(at("2030-03-11T05:00:00Z"),
                at("2030-03-14T22:15:00Z"), at("2030-03-18T05:00:00Z"));
    }

    @Test
    void aMinuteRuleFromLongAgoIsFoundWithoutWalkingEveryMinute() {
        Recurrence r = Recurrence.parse("DTSTART:20000101T000000Z RRULE:FREQ=MINUTELY;INTERVAL=7");
        long started = System.nanoTime();
        Instant next = r.nextAfter(at("2030-03-08T05:00:30Z")).orElseThrow();
        assertThat(java.time.Duration.between(at("2000-01-01T00:00:00Z"), next).toMinutes() % 7).isZero();
        assertThat(next).isBetween(at("2030-03-08T05:00:31Z"), at("2030-03-08T05:07:30Z"));
        assertThat(System.nanoTime() - started).as("no minute-by-minute walk over 30 years").isLessThan(2_000_000_000L);
    }

    @Test
    void yearlyWithoutByPartsRepeatsTheStartDate() {
        Recurrence r = Recurrence.parse("DTSTART:20300308T050000Z RRULE:FREQ=YEARLY;INTERVAL=1;BYMONTH=3");
        assertThat(r.upcoming(at("2030-03-09T00:00:00Z"), 2)).containsExactly(at("2031-03-08T05:00:00Z"),
                at("2032-03-08T05:00:00Z"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "DTSTART:NONSENSE|Valid DTSTART required in rrule. Value should start with: DTSTART:YYYYMMDDTHHMMSSZ",
            "DTSTART:20300308T050000 RRULE:FREQ=DAILY;INTERVAL=1|DTSTART cannot be a naive datetime.  Specify ;TZINFO= or YYYYMMDDTHHMMSSZZ.",
            "DTSTART:20300308T050000Z DTSTART:20310308T050000Z RRULE:FREQ=DAILY;INTERVAL=1|Multiple DTSTART is not supported.",
            "DTSTART:20300308T050000Z|One or more rule required in rrule.",
            "DTSTART:20300308T050000Z RRULE:FREQ=MONTHLY;INTERVAL=1 EXDATE:20300401|EXDATE not allowed in rrule.",
            "DTSTART:20300308T050000Z RRULE:FREQ=SECONDLY;INTERVAL=5;COUNT=6|SECONDLY is not supported: RRULE:FREQ=SECONDLY;INTERVAL=5;COUNT=6",
            "DTSTART:20300308T050000Z RRULE:FREQ=DAILY|INTERVAL required in rrule: RRULE:FREQ=DAILY",
            "DTSTART:20300308T050000Z RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=5MO|BYDAY with numeric prefix not supported: RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=5MO",
            "DTSTART:20030925T104941Z RRULE:FREQ=DAILY;INTERVAL=10;COUNT=500;UNTIL=20040925T104941Z|RRULE may not contain both COUNT and UNTIL: RRULE:FREQ=DAILY;INTERVAL=10;COUNT=500;UNTIL=20040925T104941Z",
            "DTSTART:20300308T050000Z RRULE:FREQ=DAILY;INTERVAL=1;COUNT=2000|COUNT > 999 is unsupported: RRULE:FREQ=DAILY;INTERVAL=1;COUNT=2000",
            "DTSTART;TZID=Not-A-Real-Timezone:19961105T090000 RRULE:FREQ=MINUTELY;INTERVAL=10;COUNT=5|rrule parsing failed validation: A valid TZID must be provided (e.g., America/New_York)",
            "DTSTART:20300308T050000Z RRULE:FREQ=REGULARLY;INTERVAL=1|rrule parsing failed validation: invalid 'FREQ': REGULARLY",
            "DTSTART:20300308T050000Z RRULE:FREQ=YEARLY;INTERVAL=1;BYWEEKNO=20|rrule parsing failed validation: BYWEEKNO not supported",
    })
    void rejectsWhatAwxRejectsInItsWords(String rrule, String message) {
        assertThatThrownBy(() -> Recurrence.parse(rrule))
                .isInstanceOfSatisfying(Recurrence.InvalidRecurrenceException.class,
                        e -> assertThat(e.messages()).contains(message));
    }

    @Test
    void anEmptyRuleIsBlank() {
        assertThatThrownBy(() -> Recurrence.parse(" "))
                .isInstanceOfSatisfying(Recurrence.InvalidRecurrenceException.class,
                        e -> assertThat(e.messages()).isEqualTo(List.of("This field may not be blank.")));
    }
}
