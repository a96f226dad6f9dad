package dev.towerless.core.schedules;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A schedule's {@code rrule} text as AWX accepts it: one DTSTART with a time zone ({@code Z} or
 * {@code ;TZID=}), one or more RRULEs, optional EXRULEs; no RDATE/EXDATE. Rejections carry
 * AWX's own messages. Occurrences are local wall times of the DTSTART zone; one that falls into
 * a daylight-saving gap does not happen, as in AWX.
 */
public final class Recurrence {
    private static final DateTimeFormatter BASIC = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss", Locale.ROOT);
    /** Python's isoformat() of a local time, as AWX shows {@code until}. */
    private static final DateTimeFormatter UNTIL_SHOWN = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss", Locale.ROOT);
    private static final Pattern DTSTART = Pattern.compile("DTSTART(;TZID=([^:\\s]+))?:(\\S+)", Pattern.CASE_INSENSITIVE);
    private static final Pattern RULE = Pattern.compile("(RRULE|EXRULE):(\\S*)", Pattern.CASE_INSENSITIVE);
    private static final Pattern NUMBERED_BYDAY = Pattern.compile(".*BYDAY=[^;\\s]*[-+]?\\d+[A-Za-z]{2}.*", Pattern.CASE_INSENSITIVE);
    private static final Pattern COUNT = Pattern.compile(".*?COUNT=(\\d+).*", Pattern.CASE_INSENSITIVE);
    /** Bounds the search for an occurrence that survives EXRULEs and DST gaps. */
    private static final int MAX_SKIPS = 10_000;

    private final String text;
    private final ZoneId zone;
    private final boolean utc;
    private final LocalDateTime start;
    private final List<RecurrenceRule> rules;
    private final List<RecurrenceRule> exclusions;

    private Recurrence(String text, ZoneId zone, boolean utc, LocalDateTime start, List<RecurrenceRule> rules,
                       List<RecurrenceRule> exclusions) {
        this.text = text;
        this.zone = zone;
        this.utc = utc;
        this.start = start;
        this.rules = rules;
        this.exclusions = exclusions;
    }

    /** Parses and validates; every problem is reported, each in AWX's words. */
    public static Recurrence parse(String rrule) {
        String value = rrule == null ? "" : rrule.trim();
        if (value.isEmpty()) {
            throw new InvalidRecurrenceException(List.of("This field may not be blank."));
        }
        List<String> errors = new ArrayList<>();
        Matcher dtstarts = DTSTART.matcher(value);
        List<java.util.regex.MatchResult> starts = new ArrayList<>();
        while (dtstarts.find()) {
            starts.add(dtstarts.toMatchResult());
        }
        boolean validStart = !starts.isEmpty() && starts.get(0).group(3).matches("\\d{8}T\\d{6}Z?");
        if (!validStart) {
            errors.add("Valid DTSTART required in rrule. Value should start with: DTSTART:YYYYMMDDTHHMMSSZ");
        } else if (starts.get(0).group(2) == null && !starts.get(0).group(3).endsWith("Z")) {
            errors.add("DTSTART cannot be a naive datetime.  Specify ;TZINFO= or YYYYMMDDTHHMMSSZZ.");
        }
        if (starts.size() > 1) {
            errors.add("Multiple DTSTART is not supported.");
        }
        String lower = value.toLowerCase(Locale.ROOT);
        if (!lower.contains("rrule:")) {
            errors.add("One or more rule required in rrule.");
        }
        if (lower.contains("exdate:")) {
            errors.add("EXDATE not allowed in rrule.");
        }
        if (lower.contains("rdate:")) {
            errors.add("RDATE not allowed in rrule.");
        }
        List<String[]> ruleTexts = new ArrayList<>();
        Matcher rules = RULE.matcher(value);
        while (rules.find()) {
            String whole = rules.group();
            ruleTexts.add(new String[] {rules.group(1).toUpperCase(Locale.ROOT), rules.group(2)});
            String wholeLower = whole.toLowerCase(Locale.ROOT);
            if (!wholeLower.contains("interval")) {
                errors.add("INTERVAL required in rrule: " + whole);
            } else if (wholeLower.contains("secondly")) {
                errors.add("SECONDLY is not supported: " + whole);
            }
            if (NUMBERED_BYDAY.matcher(whole).matches()) {
                errors.add("BYDAY with numeric prefix not supported: " + whole);
            }
            if (whole.contains("COUNT") && whole.contains("UNTIL")) {
                errors.add("RRULE may not contain both COUNT and UNTIL: " + whole);
            }
            Matcher count = COUNT.matcher(whole);
            if (count.matches() && new java.math.BigInteger(count.group(1)).compareTo(java.math.BigInteger.valueOf(999)) > 0) {
                errors.add("COUNT > 999 is unsupported: " + whole);
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidRecurrenceException(errors);
        }
        try {
            return build(value, starts.get(0), ruleTexts);
        } catch (RuntimeException e) {
            throw new InvalidRecurrenceException(List.of("rrule parsing failed validation: " + e.getMessage()));
        }
    }

    private static Recurrence build(String value, java.util.regex.MatchResult dtstart, List<String[]> ruleTexts) {
        String tzid = dtstart.group(2);
        String stamp = dtstart.group(3);
        ZoneId zone;
        boolean utc = tzid == null;
        if (utc) {
            zone = ZoneOffset.UTC;
        } else {
            if (stamp.endsWith("Z")) {
                throw new IllegalArgumentException("a DTSTART with TZID must be a local time (no trailing Z)");
            }
            try {
                zone = ZoneId.of(tzid);
            } catch (DateTimeException e) {
                throw new IllegalArgumentException("A valid TZID must be provided (e.g., America/New_York)");
            }
        }
        LocalDateTime start = parseLocal(utc ? stamp.substring(0, stamp.length() - 1) : stamp);
        List<RecurrenceRule> included = new ArrayList<>();
        List<RecurrenceRule> excluded = new ArrayList<>();
        String normalized = value;
        for (String[] r : ruleTexts) {
            RecurrenceRule rule = RecurrenceRule.parse(r[1], start);
            if (rule.untilLocal != null) {
                LocalDateTime untilLocal = rule.untilLocal;
                if (rule.untilIsUtc) {
                    untilLocal = LocalDateTime.ofInstant(rule.untilLocal.toInstant(ZoneOffset.UTC), zone);
                } else {
                    // AWX reads a naive UNTIL in the DTSTART zone and stores it in UTC.
                    String asUtc = BASIC.format(LocalDateTime.ofInstant(untilLocal.atZone(zone).toInstant(), ZoneOffset.UTC)) + "Z";
                    normalized = normalized.replace("UNTIL=" + rule.untilText, "UNTIL=" + asUtc)
                            .replace("until=" + rule.untilText.toLowerCase(Locale.ROOT), "UNTIL=" + asUtc);
                }
                rule.resolveUntil(untilLocal);
            }
            ("RRULE".equals(r[0]) ? included : excluded).add(rule);
        }
        return new Recurrence(normalized, zone, utc, start, List.copyOf(included), List.copyOf(excluded));
    }

    static LocalDateTime parseLocal(String basic) {
        try {
            return LocalDateTime.parse(basic, BASIC);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("invalid date-time '" + basic + "'");
        }
    }

    /** The rule text to store: as given, except that a naive UNTIL is written in UTC. */
    public String text() {
        return text;
    }

    /** {@code UTC} or the TZID of DTSTART. */
    public String timezone() {
        return utc ? "UTC" : zone.getId();
    }

    /** The first occurrence (AWX's {@code dtstart}). */
    public Optional<Instant> first() {
        return nextFrom(start, null);
    }

    /** The first occurrence strictly after {@code t} (AWX's {@code next_run}); empty when the rule is exhausted. */
    public Optional<Instant> nextAfter(Instant t) {
        LocalDateTime local = LocalDateTime.ofInstant(t, zone);
        return nextFrom(local.isBefore(start) ? start : local, t);
    }

    /** The last occurrence if every rule ends (COUNT or UNTIL), else empty (AWX's {@code dtend}). */
    public Optional<Instant> last() {
        Instant last = null;
        for (RecurrenceRule rule : rules) {
            if (!rule.bounded()) {
                return Optional.empty();
            }
            Optional<LocalDateTime> l = rule.last();
            while (l.isPresent() && (excluded(l.get()) || instantOf(l.get()).isEmpty())) {
                l = previousOf(rule, l.get());
            }
            if (l.isPresent()) {
                Instant i = instantOf(l.get()).orElseThrow();
                last = last == null || i.isAfter(last) ? i : last;
            }
        }
        return Optional.ofNullable(last);
    }

    /** AWX's {@code until}: the end of the first rule bounded by UNTIL, in local time, or {@code ""}. */
    public String until() {
        return rules.stream().filter(r -> r.untilLocal != null).findFirst()
                .map(r -> UNTIL_SHOWN.format(LocalDateTime.ofInstant(instantOfUntil(r), zone)))
                .orElse("");
    }

    /** Up to {@code n} occurrences from {@code t} on (the preview endpoint). */
    public List<Instant> upcoming(Instant t, int n) {
        List<Instant> out = new ArrayList<>();
        Optional<Instant> next = nextAfter(t.minusSeconds(1));
        while (next.isPresent() && out.size() < n) {
            out.add(next.get());
            next = nextAfter(next.get());
        }
        return out;
    }

    public ZoneId zone() {
        return zone;
    }

    private Instant instantOfUntil(RecurrenceRule r) {
        return r.untilIsUtc ? r.untilLocal.toInstant(ZoneOffset.UTC) : r.untilLocal.atZone(zone).toInstant();
    }

    /** The earliest occurrence of any rule at or after {@code from} whose instant is after {@code after}. */
    private Optional<Instant> nextFrom(LocalDateTime from, Instant after) {
        Instant best = null;
        for (RecurrenceRule rule : rules) {
            LocalDateTime cursor = from;
            for (int skips = 0; skips < MAX_SKIPS; skips++) {
                Optional<LocalDateTime> o = rule.firstAtOrAfter(cursor);
                if (o.isEmpty()) {
                    break;
                }
                Optional<Instant> instant = instantOf(o.get());
                if (instant.isPresent() && (after == null || instant.get().isAfter(after)) && !excluded(o.get())) {
                    best = best == null || instant.get().isBefore(best) ? instant.get() : best;
                    break;
                }
                cursor = o.get().plusSeconds(1);
            }
        }
        return Optional.ofNullable(best);
    }

    private Optional<LocalDateTime> previousOf(RecurrenceRule rule, LocalDateTime before) {
        // Rare (the last occurrence fell in a DST gap or was excluded): scan the rule from the start.
        LocalDateTime previous = null;
        LocalDateTime cursor = start;
        for (int i = 0; i < MAX_SKIPS; i++) {
            Optional<LocalDateTime> o = rule.firstAtOrAfter(cursor);
            if (o.isEmpty() || !o.get().isBefore(before)) {
                break;
            }
            if (!excluded(o.get()) && instantOf(o.get()).isPresent()) {
                previous = o.get();
            }
            cursor = o.get().plusSeconds(1);
        }
        return Optional.ofNullable(previous);
    }

    private boolean excluded(LocalDateTime o) {
        for (RecurrenceRule ex : exclusions) {
            if (ex.firstAtOrAfter(o).filter(o::equals).isPresent()) {
                return true;
            }
        }
        return false;
    }

    /** The instant of a local time; empty inside a daylight-saving gap (that occurrence does not happen). */
    private Optional<Instant> instantOf(LocalDateTime local) {
        List<ZoneOffset> offsets = zone.getRules().getValidOffsets(local);
        if (offsets.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(local.toInstant(offsets.get(0)));
    }

    /** Bad rrule text: AWX's messages, reported under the {@code rrule} field. */
    public static final class InvalidRecurrenceException extends IllegalArgumentException {
        private final List<String> messages;

        public InvalidRecurrenceException(List<String> messages) {
            super(String.join("; ", messages));
            this.messages = List.copyOf(messages);
        }

        public List<String> messages() {
            return messages;
        }
    }
}
