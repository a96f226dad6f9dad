package dev.towerless.core.settings;

import java.util.List;

/**
 * The settings AWX 21.14.0 registers for its API (outside single sign-on): their names,
 * categories, field kinds, defaults and bounds, as {@code tools/awx-settings.py} read them from
 * AWX's registrations into {@link AwxSettingsData}. With it {@code /api/v2/settings/} knows
 * every name the {@code awx.awx} settings module and AWX's docs use, checks each value as AWX's
 * field would, and refuses, with the reason, the few that belong to parts Towerless has not.
 */
public final class AwxSettingsCatalogue {
    /** One registered setting. {@code refused} is why Towerless does not take it, or null. */
    public record Entry(String name, String category, String kind, Object defaultValue, List<?> choices,
                        Long min, Long max, boolean allowNull, boolean allowBlank, boolean readOnly, String refused) {
    }

    private AwxSettingsCatalogue() {
    }

    public static List<Entry> entries() {
        return AwxSettingsData.ENTRIES;
    }
}
