package io.taskq.contract;

/**
 * The fixture of the workflow contracts ({@link WorkflowContractTest}, {@link CanvasContractTest}): a
 * {@link WorkflowTasks} instance per test, its gate opened before the taskq closes.
 */
public abstract class WorkflowFixture extends TaskqFixture<WorkflowTasks> {
    @Override
    protected WorkflowTasks newTasks() {
        return new WorkflowTasks();
    }

    @Override
    protected void release(WorkflowTasks t) {
        t.gate.countDown();
    }
}
