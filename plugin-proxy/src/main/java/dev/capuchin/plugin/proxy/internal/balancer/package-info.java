/**
 * The balancers: one small class per {@link dev.capuchin.plugin.proxy.BalancerKind}
 * behind {@link dev.capuchin.plugin.proxy.internal.balancer.Balancer}.
 */
@NullMarked
package dev.capuchin.plugin.proxy.internal.balancer;

import org.jspecify.annotations.NullMarked;
