package dev.towerless.core.access;

import static dev.towerless.core.access.RoleCatalogue.ADHOC;
import static dev.towerless.core.access.RoleCatalogue.ADMIN;
import static dev.towerless.core.access.RoleCatalogue.EXECUTE;
import static dev.towerless.core.access.RoleCatalogue.MEMBER;
import static dev.towerless.core.access.RoleCatalogue.PROJECT_ADMIN;
import static dev.towerless.core.access.RoleCatalogue.READ;
import static dev.towerless.core.access.RoleCatalogue.UPDATE;
import static dev.towerless.core.access.RoleCatalogue.USE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.towerless.core.resources.Resource;
import dev.towerless.core.resources.ResourceTypes;
import dev.towerless.core.testing.FakeStores;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** AWX's implicit parents, team inheritance and the rules built on them, on the in-memory store. */
class AccessTest {
    private FakeStores.Resources store;
    private Memberships memberships;
    private Resource org;
    private Resource otherOrg;
    private Resource project;
    private Resource inventory;
    private Resource template;
    private Resource credential;

    @BeforeEach
    void setUp() {
        store = new FakeStores.Resources();
        memberships = new Memberships(store, new FakeStores.Jobs());
        org = store.create(ResourceTypes.ORGANIZATION, Map.of("name", "Ops"));
        otherOrg = store.create(ResourceTypes.ORGANIZATION, Map.of("name", "Dev"));
        project = store.create(ResourceTypes.PROJECT, Map.of("name", "site", "organization", org.id()));
        inventory = store.create(ResourceTypes.INVENTORY, Map.of("name", "prod", "organization", org.id()));
        template = store.create(ResourceTypes.JOB_TEMPLATE, Map.of("name", "deploy", "organization", org.id(),
                "project", project.id(), "inventory", inventory.id()));
        credential = store.create(ResourceTypes.CREDENTIAL, Map.of("name", "ssh", "organization", org.id()));
    }

    private Resource user(String name, Object... flags) {
        Map<String, Object> f = new HashMap<>(Map.of("username", name));
        for (int i = 0; i < flags.length; i += 2) {
            f.put((String) flags[i], flags[i + 1]);
        }
        return store.create(ResourceTypes.USER, f);
    }

    private Access access(Resource user) {
        return memberships.accessFor(store.get(ResourceTypes.USER, user.id()).orElseThrow(), true);
    }

    private Resource reload(Resource r) {
        return store.get(r.type(), r.id()).orElseThrow();
    }

    private void grant(Resource user, Resource object, String field) {
        memberships.grant(store.get(ResourceTypes.USER, user.id()).orElseThrow(), Role.of(object.type(), object.id(), field));
    }

    @Test
    void anOrganizationAdminAdministersEverythingInTheOrganizationAndNothingElse() {
        Resource alice = user("alice");
        grant(alice, org, ADMIN);
        Access a = access(alice);
        for (String field : List.of(ADMIN, EXECUTE, READ)) {
            assertThat(a.holds(template, field)).as(field).isTrue();
        }
        assertThat(a.holds(project, UPDATE)).isTrue();
        assertThat(a.holds(inventory, ADHOC)).isTrue();
        assertThat(a.holds(credential, USE)).isTrue();
        assertThat(a.holds(otherOrg, READ)).isFalse();
        // AWX: the organization's admin role is not an ancestor of its auditor role
        assertThat(a.holds(org, RoleCatalogue.AUDITOR)).isFalse();
    }

    @Test
    void rolesImplyTheirChildrenAsAwxDeclaresThem() {
        Resource bob = user("bob");
        grant(bob, inventory, ADMIN);
        Access b = access(bob);
        assertThat(List.of(UPDATE, ADHOC, USE, READ)).allMatch(f -> b.holds(inventory, f));
        assertThat(b.holds(template, READ)).isFalse();

        Resource carol = user("carol");
        grant(carol, inventory, USE);
        Access c = access(carol);
        assertThat(c.holds(inventory, READ)).isTrue();
        assertThat(c.holds(inventory, ADHOC)).isFalse();
        assertThat(c.holds(inventory, UPDATE)).isFalse();

        Resource dave = user("dave");
        grant(dave, org, PROJECT_ADMIN);
        Access d = access(dave);
        assertThat(d.holds(project, ADMIN)).isTrue();
        assertThat(d.holds(org, READ)).isTrue();
        assertThat(d.holds(template, ADMIN)).isFalse();
    }

    @Test
    void aTeamsGrantReachesItsMembersAndTheOrganizationsAdminsAndEndsWhenRevoked() {
        Resource team = store.create(ResourceTypes.TEAM, Map.of("name", "deployers", "organization", otherOrg.id()));
        Resource erin = user("erin");
        Resource otherAdmin = user("frank");
        grant(erin, team, MEMBER);
        grant(otherAdmin, otherOrg, ADMIN);
        memberships.grantToTeam(team, Role.of(ResourceTypes.JOB_TEMPLATE, template.id(), EXECUTE));

        assertThat(access(erin).holds(template, EXECUTE)).isTrue();
        assertThat(access(erin).holds(template, ADMIN)).isFalse();
        // the team's organization's admins are members of every team in it (AWX: member <- admin <- org admin)
        assertThat(access(otherAdmin).holds(template, EXECUTE)).isTrue();

        memberships.revokeFromTeam(store.get(ResourceTypes.TEAM, team.id()).orElseThrow(),
                Role.of(ResourceTypes.JOB_TEMPLATE, template.id(), EXECUTE));
        assertThat(access(erin).holds(template, EXECUTE)).isFalse();
        assertThat(access(otherAdmin).holds(template, EXECUTE)).isFalse();
    }

    @Test
    void teamsGrantedToTeamsPassTheirRolesOn() {
        Resource outer = store.create(ResourceTypes.TEAM, Map.of("name", "outer", "organization", org.id()));
        Resource inner = store.create(ResourceTypes.TEAM, Map.of("name", "inner", "organization", org.id()));
        memberships.grantToTeam(inner, Role.of(ResourceTypes.TEAM, outer.id(), MEMBER));
        memberships.grantToTeam(outer, Role.of(ResourceTypes.INVENTORY, inventory.id(), USE));
        Resource gina = user("gina");
        grant(gina, inner, MEMBER);
        assertThat(access(gina).holds(inventory, USE)).isTrue();
    }

    @Test
    void grantsAreIdempotentAndSurviveEachOther() {
        Resource hank = user("hank");
        grant(hank, inventory, USE);
        grant(hank, inventory, USE);
        grant(hank, project, USE);
        Resource stored = store.get(ResourceTypes.USER, hank.id()).orElseThrow();
        assertThat(Memberships.directRoles(stored)).containsExactly(
                Role.of(ResourceTypes.INVENTORY, inventory.id(), USE).id(), Role.of(ResourceTypes.PROJECT, project.id(), USE).id());
    }

    @Test
    void systemAuditorsSeeEverythingAndChangeNothing() {
        Resource ida = user("ida", UserFields.IS_SYSTEM_AUDITOR, true);
        Access a = access(ida);
        assertThat(a.readsAll()).isTrue();
        assertThat(AccessPolicies.JOB_TEMPLATES.canSee(a, template)).isTrue();
        assertThat(AccessPolicies.JOB_TEMPLATES.canChange(a, template, Map.of())).isFalse();
        assertThat(AccessPolicies.JOB_TEMPLATES.canStart(a, template)).isFalse();
        assertThat(AccessPolicies.ORGANIZATIONS.canAdd(a, Map.of("name", "x"))).isFalse();
    }

    @Test
    void makingAJobTemplateNeedsUseOfItsProjectAndInventory() {
        Resource jo = user("jo");
        Map<String, Object> data = Map.of("project", project.id(), "inventory", inventory.id());
        assertThat(AccessPolicies.JOB_TEMPLATES.canAdd(access(jo), data)).isFalse();
        grant(jo, project, USE);
        assertThat(AccessPolicies.JOB_TEMPLATES.canAdd(access(jo), data)).isFalse();
        grant(jo, inventory, USE);
        assertThat(AccessPolicies.JOB_TEMPLATES.canAdd(access(jo), data)).isTrue();
    }

    @Test
    void aTemplateAdminMayRenameItButNotPointItAtAnInventoryTheyCannotUse() {
        Resource kim = user("kim");
        grant(kim, template, ADMIN);
        Resource elsewhere = store.create(ResourceTypes.INVENTORY, Map.of("name", "other", "organization", otherOrg.id()));
        Access k = access(kim);
        assertThat(AccessPolicies.JOB_TEMPLATES.canChange(k, template, Map.of("name", "renamed"))).isTrue();
        assertThat(AccessPolicies.JOB_TEMPLATES.canChange(k, template, Map.of("inventory", elsewhere.id()))).isFalse();
        grant(kim, elsewhere, USE);
        grant(kim, inventory, USE); // the current inventory and project must be usable too (AWX: mandatory when set)
        assertThat(AccessPolicies.JOB_TEMPLATES.canChange(access(kim), template, Map.of("inventory", elsewhere.id()))).isFalse();
        grant(kim, project, USE);
        assertThat(AccessPolicies.JOB_TEMPLATES.canChange(access(kim), template, Map.of("inventory", elsewhere.id()))).isTrue();
    }

    @Test
    void nobodyButASuperuserMakesSuperusersOrAuditors() {
        Resource admin = user("lee");
        grant(admin, org, ADMIN);
        Resource member = user("max");
        grant(member, org, MEMBER);
        Access a = access(admin);
        member = reload(member);
        assertThat(AccessPolicies.USERS.canChange(a, member, Map.of("is_superuser", true))).isFalse();
        assertThat(AccessPolicies.USERS.canChange(a, reload(admin), Map.of("is_superuser", true))).isFalse();
        assertThat(AccessPolicies.USERS.canChange(a, member, Map.of("first_name", "Max"))).isTrue();
        assertThat(AccessPolicies.USERS.forbiddenChange(a, reload(admin), Map.of("is_system_auditor", true)))
                .isEqualTo("Cannot change is_system_auditor.");
        // an org admin cannot administer a user who belongs to an organization they do not administer
        grant(member, otherOrg, MEMBER);
        assertThat(AccessPolicies.USERS.canAdmin(a, store.get(ResourceTypes.USER, member.id()).orElseThrow(), false)).isFalse();
        Resource su = user("root", UserFields.IS_SUPERUSER, true);
        assertThat(AccessPolicies.USERS.canAdmin(a, su, true)).isFalse();
    }

    @Test
    void grantingARoleNeedsAdminOfItsObject() {
        Resource nora = user("nora");
        Resource target = user("olga");
        grant(target, org, MEMBER);
        grant(nora, org, MEMBER);
        Role execute = Role.of(ResourceTypes.JOB_TEMPLATE, template.id(), EXECUTE);
        target = reload(target);
        assertThat(RoleAccess.canGrantToUser(access(nora), execute, target)).isFalse();
        grant(nora, template, ADMIN);
        assertThat(RoleAccess.canGrantToUser(access(nora), execute, target)).isTrue();
        assertThat(RoleAccess.canGrantToUser(access(nora), Role.SYSTEM_ADMINISTRATOR, target)).isFalse();
        // nobody may hand on a role to someone they cannot see
        Resource stranger = user("pat");
        grant(stranger, otherOrg, MEMBER);
        assertThat(RoleAccess.canGrantToUser(access(nora), execute, reload(stranger))).isFalse();
    }

    @Test
    void aTeamCannotBeMovedToAnotherOrganization() {
        Resource team = store.create(ResourceTypes.TEAM, Map.of("name", "t", "organization", org.id()));
        Resource su = user("su", UserFields.IS_SUPERUSER, true);
        assertThatThrownBy(() -> AccessPolicies.TEAMS.canChange(access(su), team, Map.of("organization", otherOrg.id())))
                .isInstanceOf(AccessDenied.class).hasMessage("Unable to change organization on a team.");
    }
}
