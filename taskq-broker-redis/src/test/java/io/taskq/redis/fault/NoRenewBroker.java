package io.taskq.redis.fault;

import io.taskq.spi.Broker;
import io.taskq.spi.Delivery;
import io.taskq.spi.ForwardingBroker;
import io.taskq.spi.RenewResult;
import java.time.Duration;
import java.util.List;

/** A broker whose lease renewals never reach Redis: a worker paused past its lease, without the pause. */
final class NoRenewBroker extends ForwardingBroker {

    NoRenewBroker(Broker delegate) {
        super(delegate);
    }

    @Override
    public RenewResult renew(String consumerId, List<Delivery> deliveries, Duration lease) {
        return RenewResult.none();
    }
}
