package dev.capuchin.plugin.proxy.internal.balancer;

/**
 * A server a balancer may choose for the current try.
 *
 * @param index the server's position in the upstream's list
 * @param weight the server's weight
 * @param inFlight requests in flight to it now
 */
public record Candidate(int index, int weight, int inFlight) {

}
