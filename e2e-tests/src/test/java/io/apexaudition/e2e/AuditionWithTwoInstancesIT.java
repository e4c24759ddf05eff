package io.apexaudition.e2e;

/**
 * Every test of {@link AuditionIT} (the whole audition, verify-first, dry runs, synchronous calls, malformed commands,
 * poison on every consumed topic, the rebuild giving identical tables) with two dispatchers per provider and two
 * pollers, each pair sharing its partitions through its consumer group: what one instance of each does, two do alike,
 * each request paid once and every poison record parked.
 */
class AuditionWithTwoInstancesIT extends AuditionIT {

    @Override
    int instances() {
        return 2;
    }
}
