package dev.towerless.core.testing;

import dev.towerless.core.ports.JointReads;
import dev.towerless.core.ports.contract.JointReadsContract;

/** The core's fakes, read one after the other, pass the contract the DynamoDB adapter passes. */
class FakeJointReadsTest extends JointReadsContract {
    @Override
    protected Backend backend() {
        FakeStores.Resources resources = new FakeStores.Resources();
        FakeStores.Jobs jobs = new FakeStores.Jobs();
        return new Backend(resources, jobs, JointReads.separately(resources, jobs));
    }
}
