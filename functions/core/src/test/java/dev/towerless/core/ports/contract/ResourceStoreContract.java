package dev.towerless.core.ports.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.towerless.core.ports.ConflictException;
import dev.towerless.core.ports.PageRequest;
import dev.towerless.core.ports.ResourceStore;
import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.ResourceTypes;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What every {@link ResourceStore} backend must do. */
public abstract class ResourceStoreContract {

    protected abstract ResourceStore store();

    /** Sets the type's kept count to a wrong value behind the store's back (a crash between a write and its count). */
    protected abstract void breakCount(ResourceStore store, String type, long value);

    @Test
    void createsWithIncreasingIdsPerTypeAndReadsBack() {
        ResourceStore s = store();
        Resource a = s.create(ResourceTypes.ORGANIZATION, Map.of("name", "A", "max_hosts", 0L));
        Resource b = s.create(ResourceTypes.ORGANIZATION, Map.of("name", "B", "max_hosts", 0L));
        assertThat(b.id()).isGreaterThan(a.id());
        assertThat(s.get(ResourceTypes.ORGANIZATION, a.id()).orElseThrow().fields()).containsEntry("name", "A");
        assertThat(s.get(ResourceTypes.INVENTORY, a.id())).isEmpty();
    }

    @Test
    void countsATypeWithoutOthers() {
        ResourceStore s = store();
        long teams = s.count(ResourceTypes.TEAM);
        long users = s.count(ResourceTypes.USER);
        Resource t = s.create(ResourceTypes.TEAM, Map.of("name", "t1"));
        s.create(ResourceTypes.TEAM, Map.of("name", "t2"));
        assertThat(s.count(ResourceTypes.TEAM)).isEqualTo(teams + 2);
        assertThat(s.count(ResourceTypes.USER)).isEqualTo(users);
        s.delete(ResourceTypes.TEAM, t.id());
        assertThat(s.count(ResourceTypes.TEAM)).isEqualTo(teams + 1);
    }

    @Test
    void projectsAndJobTemplatesShareOneIdSequenceLikeAwxsUnifiedJobTemplates() {
        ResourceStore s = store();
        long p = s.create(ResourceTypes.PROJECT, Map.of("name", "p")).id();
        long t = s.create(ResourceTypes.JOB_TEMPLATE, Map.of("name", "t")).id();
        assertThat(t).isNotEqualTo(p);
    }

    @Test
    void createdObjectsNeverTakeTheIdOfAnInsertedOne() {
        ResourceStore s = store();
        s.insert(new Resource(ResourceTypes.INSTANCE_GROUP, 1, Map.of("name", "default")));
        assertThat(s.create(ResourceTypes.INSTANCE_GROUP, Map.of("name", "second")).id()).isEqualTo(2);
    }

    @Test
    void insertWithATakenIdConflicts() {
        ResourceStore s = store();
        s.insert(new Resource(ResourceTypes.CREDENTIAL_TYPE, 1, Map.of("name", "Machine")));
        assertThatThrownBy(() -> s.insert(new Resource(ResourceTypes.CREDENTIAL_TYPE, 1, Map.of("name", "x"))))
                .isInstanceOf(ConflictException.class);
    }

    @Test
    void findsByNaturalKeyAndFollowsRenames() {
        ResourceStore s = store();
        Resource u = s.create(ResourceTypes.USER, Map.of("username", "alice"));
        assertThat(s.findByName(ResourceTypes.USER, "alice")).map(Resource::id).contains(u.id());
        s.update(ResourceTypes.USER, u.id(), Map.of("username", "alicia"));
        assertThat(s.findByName(ResourceTypes.USER, "alicia")).map(Resource::id).contains(u.id());
        assertThat(s.findByName(ResourceTypes.USER, "alice")).isEmpty();
    }

    @Test
    void findsByNaturalKeyInTheIndexWithTheFields() {
        ResourceStore s = store();
        Resource u = s.create(ResourceTypes.USER, Map.of("username", "bob"));
        Resource t = s.create(ResourceTypes.TOKEN, Map.of("token_digest", "d1", "user", u.id(), "scope", "read"));
        assertThat(s.findByNameInIndex(ResourceTypes.TOKEN, "d1")).hasValueSatisfying(found -> {
            assertThat(found.id()).isEqualTo(t.id());
            assertThat(found.type()).isEqualTo(ResourceTypes.TOKEN);
            assertThat(found.reference("user")).contains(u.id());
            assertThat(found.fields()).containsEntry("scope", "read");
        });
        assertThat(s.findByNameInIndex(ResourceTypes.TOKEN, "d2")).isEmpty();
        assertThat(s.findByNameInIndex(ResourceTypes.USER, "d1")).as("another type's name").isEmpty();
    }

    @Test
    void updatesAndDeletesOnlyExistingObjects() {
        ResourceStore s = store();
        Resource o = s.create(ResourceTypes.ORGANIZATION, Map.of("name", "A", "description", ""));
        Map<String, Object> changes = new HashMap<>();
        changes.put("description", "d");
        changes.put("default_environment", null);
        assertThat(s.update(ResourceTypes.ORGANIZATION, o.id(), changes).orElseThrow().fields())
                .containsEntry("description", "d").containsEntry("name", "A").containsEntry("default_environment", null);
        assertThat(s.update(ResourceTypes.ORGANIZATION, 9999, Map.of("name", "x"))).isEmpty();
        assertThat(s.get(ResourceTypes.ORGANIZATION, 9999)).isEmpty();
        assertThat(s.delete(ResourceTypes.ORGANIZATION, o.id())).isTrue();
        assertThat(s.delete(ResourceTypes.ORGANIZATION, o.id())).isFalse();
    }

    @Test
    void conditionalUpdatesApplyOnlyWhileTheFieldHoldsTheExpectedValue() {
        ResourceStore s = store();
        Resource p = s.create(ResourceTypes.PROJECT, Map.of("name", "p"));
        assertThat(s.updateIf(ResourceTypes.PROJECT, p.id(), "watermark", null, Map.of("watermark", "a"))).isPresent();
        assertThat(s.updateIf(ResourceTypes.PROJECT, p.id(), "watermark", null, Map.of("watermark", "b"))).isEmpty();
        assertThat(s.updateIf(ResourceTypes.PROJECT, p.id(), "watermark", "a", Map.of("watermark", "c"))).isPresent();
        assertThat(s.get(ResourceTypes.PROJECT, p.id()).orElseThrow().get("watermark")).isEqualTo("c");
        assertThat(s.updateIf(ResourceTypes.PROJECT, 99_999, "watermark", "c", Map.of("watermark", "d"))).isEmpty();
    }

    @Test
    void readsManyAtOnceLeavingOutMissingIds() {
        ResourceStore s = store();
        long a = s.create(ResourceTypes.ORGANIZATION, Map.of("name", "a")).id();
        long b = s.create(ResourceTypes.ORGANIZATION, Map.of("name", "b")).id();
        assertThat(s.getMany(ResourceTypes.ORGANIZATION, java.util.List.of(a, b, 12_345L, a)).keySet())
                .containsExactlyInAnyOrder(a, b);
    }

    @Test
    void readsSeveralTypesAtOnceLeavingOutWhatIsMissing() {
        ResourceStore s = store();
        long org = s.create(ResourceTypes.ORGANIZATION, Map.of("name", "o")).id();
        long project = s.create(ResourceTypes.PROJECT, Map.of("name", "p", "organization", org)).id();
        long label = s.create(ResourceTypes.LABEL, Map.of("name", "l", "organization", org)).id();
        // 120 keys: more than one BatchGetItem takes
        java.util.List<Long> manyLabels = new java.util.ArrayList<>(java.util.List.of(label));
        for (long i = 0; i < 119; i++) {
            manyLabels.add(900_000 + i);
        }
        Map<String, Map<Long, Resource>> got = s.getMany(Map.of(ResourceTypes.ORGANIZATION, java.util.List.of(org, 777_777L),
                ResourceTypes.PROJECT, java.util.List.of(project, project), ResourceTypes.LABEL, manyLabels,
                ResourceTypes.HOST, java.util.List.of(org)));
        assertThat(got.get(ResourceTypes.ORGANIZATION)).containsOnlyKeys(org);
        assertThat(got.get(ResourceTypes.ORGANIZATION).get(org).name()).isEqualTo("o");
        assertThat(got.get(ResourceTypes.PROJECT).get(project).type()).isEqualTo(ResourceTypes.PROJECT);
        assertThat(got.get(ResourceTypes.LABEL)).containsOnlyKeys(label);
        assertThat(got.getOrDefault(ResourceTypes.HOST, Map.of())).isEmpty(); // an id of another type is not a host
    }

    @Test
    void pagesWithACountAndListsChildrenOfAParent() {
        ResourceStore s = store();
        for (int i = 0; i < 5; i++) {
            s.create(ResourceTypes.HOST, Map.of("name", "h" + i, "inventory", i < 3 ? 1L : 2L));
        }
        var page2 = s.list(ResourceTypes.HOST, new PageRequest(2, 2, false));
        assertThat(page2.count()).isEqualTo(5);
        assertThat(page2.items()).extracting(Resource::name).containsExactly("h2", "h3");
        s.create(ResourceTypes.GROUP, Map.of("name", "g", "inventory", 1L));
        assertThat(s.where(ResourceTypes.HOST, "inventory", 1L)).extracting(Resource::name).containsExactly("h0", "h1", "h2");
        assertThat(s.where(ResourceTypes.GROUP, "inventory", 1L)).extracting(Resource::name).containsExactly("g");
        assertThat(s.where(ResourceTypes.HOST, "name", "h4")).extracting(Resource::name).containsExactly("h4");
        assertThat(s.all(ResourceTypes.HOST)).hasSize(5);
        assertThat(s.newestWhere(ResourceTypes.HOST, "inventory", 1L, 2)).as("from the parent index").extracting(Resource::name)
                .containsExactly("h2", "h1");
        assertThat(s.newestWhere(ResourceTypes.HOST, "inventory", 2L, 10)).extracting(Resource::name).containsExactly("h4", "h3");
        assertThat(s.newestWhere(ResourceTypes.HOST, "name", "h4", 5)).as("no index: filtered").extracting(Resource::name)
                .containsExactly("h4");
        assertThat(s.newestWhere(ResourceTypes.HOST, "inventory", 9L, 5)).isEmpty();
    }

    @Test
    void countsInsertsAndDeletesThatHappenedButNotTheirRedeliveries() {
        ResourceStore s = store();
        assertThat(s.count(ResourceTypes.LABEL)).isZero();
        s.insert(new Resource(ResourceTypes.LABEL, 7, Map.of("name", "built-in")));
        Resource l = s.create(ResourceTypes.LABEL, Map.of("name", "l"));
        assertThatThrownBy(() -> s.insert(new Resource(ResourceTypes.LABEL, 7, Map.of("name", "again"))))
                .isInstanceOf(ConflictException.class);
        assertThat(s.count(ResourceTypes.LABEL)).as("a redelivered insert that conflicted counts nothing").isEqualTo(2);
        assertThat(s.delete(ResourceTypes.LABEL, l.id())).isTrue();
        assertThat(s.delete(ResourceTypes.LABEL, l.id())).isFalse();
        assertThat(s.count(ResourceTypes.LABEL)).as("a delete that removed nothing counts nothing").isEqualTo(1);
        assertThat(s.list(ResourceTypes.LABEL, new PageRequest(1, 20, false)).count()).isEqualTo(1);
    }

    @Test
    void aCountFirstAskedOfExistingObjectsCountsThemAndKeepsCountingFromThere() {
        ResourceStore s = store();
        s.create(ResourceTypes.CREDENTIAL_TYPE, Map.of("name", "a"));
        s.create(ResourceTypes.CREDENTIAL_TYPE, Map.of("name", "b"));
        assertThat(s.count(ResourceTypes.CREDENTIAL_TYPE)).isEqualTo(2);
        s.create(ResourceTypes.CREDENTIAL_TYPE, Map.of("name", "c"));
        assertThat(s.count(ResourceTypes.CREDENTIAL_TYPE)).isEqualTo(3);
    }

    @Test
    void recountRepairsACountThatDrifted() {
        ResourceStore s = store();
        for (int i = 0; i < 3; i++) {
            s.create(ResourceTypes.SCHEDULE, Map.of("name", "s" + i));
        }
        assertThat(s.count(ResourceTypes.SCHEDULE)).isEqualTo(3);
        breakCount(s, ResourceTypes.SCHEDULE, 41);
        assertThat(s.count(ResourceTypes.SCHEDULE)).as("the broken counter is what count answers").isEqualTo(41);
        assertThat(s.recount(ResourceTypes.SCHEDULE)).isEqualTo(3);
        assertThat(s.count(ResourceTypes.SCHEDULE)).isEqualTo(3);
        s.create(ResourceTypes.SCHEDULE, Map.of("name", "s3"));
        assertThat(s.count(ResourceTypes.SCHEDULE)).isEqualTo(4);
    }

    @Test
    void namedReadsEveryObjectOfTheTypeWithThatNaturalKeyInIdOrder() {
        ResourceStore s = store();
        long a = s.create(ResourceTypes.HOST, Map.of("name", "web", "inventory", 1L)).id();
        s.create(ResourceTypes.HOST, Map.of("name", "db", "inventory", 1L));
        long b = s.create(ResourceTypes.HOST, Map.of("name", "web", "inventory", 2L)).id();
        s.create(ResourceTypes.GROUP, Map.of("name", "web", "inventory", 1L));
        assertThat(s.named(ResourceTypes.HOST, "web")).extracting(Resource::id).containsExactly(a, b);
        assertThat(s.named(ResourceTypes.HOST, "nope")).isEmpty();
        assertThat(s.named(ResourceTypes.HOST, "")).isEmpty();
        Resource u = s.create(ResourceTypes.USER, Map.of("username", "bob"));
        assertThat(s.named(ResourceTypes.USER, "bob")).extracting(Resource::id).containsExactly(u.id());
        s.update(ResourceTypes.HOST, a, Map.of("name", "web2"));
        assertThat(s.named(ResourceTypes.HOST, "web")).extracting(Resource::id).containsExactly(b);
        assertThat(s.named(ResourceTypes.HOST, "web2")).singleElement().satisfies(r -> assertThat(r.get("inventory")).isEqualTo(1L));
    }

    @Test
    void firstReadsAtMostTheLimitInIdOrder() {
        ResourceStore s = store();
        for (int i = 0; i < 5; i++) {
            s.create(ResourceTypes.NOTIFICATION, Map.of("name", "n" + i));
        }
        assertThat(s.first(ResourceTypes.NOTIFICATION, 3)).extracting(Resource::name).containsExactly("n0", "n1", "n2");
        assertThat(s.first(ResourceTypes.NOTIFICATION, 50)).hasSize(5);
    }

    @Test
    void listsTheObjectsOfAnOrganizationAndFollowsAMove() {
        ResourceStore s = store();
        long i1 = s.create(ResourceTypes.INVENTORY, Map.of("name", "i1", "organization", 1L)).id();
        s.create(ResourceTypes.INVENTORY, Map.of("name", "i2", "organization", 2L));
        long t = s.create(ResourceTypes.JOB_TEMPLATE, Map.of("name", "t", "organization", 1L)).id();
        long c = s.create(ResourceTypes.CREDENTIAL, Map.of("name", "c", "organization", 1L)).id();
        s.create(ResourceTypes.CREDENTIAL, Map.of("name", "personal"));
        assertThat(s.where(ResourceTypes.INVENTORY, "organization", 1L)).extracting(Resource::id).containsExactly(i1);
        assertThat(s.where(ResourceTypes.JOB_TEMPLATE, "organization", 1L)).extracting(Resource::id).containsExactly(t);
        assertThat(s.where(ResourceTypes.CREDENTIAL, "organization", 1L)).extracting(Resource::id).containsExactly(c);
        s.update(ResourceTypes.INVENTORY, i1, Map.of("organization", 2L));
        assertThat(s.where(ResourceTypes.INVENTORY, "organization", 1L)).isEmpty();
        assertThat(s.where(ResourceTypes.INVENTORY, "organization", 2L)).hasSize(2);
    }
}
