package io.taskq.contract;

import io.taskq.Task;
import java.util.List;

/** Tasks that take and return {@link Money}, for the tests of a configured object mapper. */
public class MoneyTasks {
    /** The sum of the items, all in one currency. */
    @Task(name = "money.total")
    public Money total(Money first, List<Money> more) {
        Money sum = first;
        for (Money m : more) {
            sum = sum.plus(m);
        }
        return sum;
    }
}
