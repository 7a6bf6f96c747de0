package dev.capuchin.plugin.mandril;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One block of rules: the global rules, a site's {@code mandril:} block or a location's.
 *
 * @param ip the client address rules
 * @param uriDeny paths refused with 403
 * @param hotlinkDeny paths refused with 403 when the {@code Referer} names a foreign host
 * @param rate the request-rate limit per client address
 */
public record MandrilRules(IpRules ip, List<PathRule> uriDeny, List<PathRule> hotlinkDeny, RateLimit rate) {

	/** No rules. */
	public static final MandrilRules NONE = new MandrilRules(IpRules.NONE, List.of(), List.of(), RateLimit.OFF);

	public MandrilRules {
		Objects.requireNonNull(ip, "ip");
		uriDeny = List.copyOf(uriDeny);
		hotlinkDeny = List.copyOf(hotlinkDeny);
		Objects.requireNonNull(rate, "rate");
	}

	/**
	 * Whether this block has no rule at all.
	 * @return {@code true} when empty
	 */
	public boolean isEmpty() {
		return this.ip.isEmpty() && this.uriDeny.isEmpty() && this.hotlinkDeny.isEmpty() && !this.rate.isOn();
	}

	/**
	 * This block and another together: address rules and path rules of both apply; the
	 * other block's rate wins when it has one.
	 * @param other the other block
	 * @return the combined block
	 */
	public MandrilRules and(MandrilRules other) {
		List<PathRule> uri = new ArrayList<>(this.uriDeny);
		uri.addAll(other.uriDeny);
		List<PathRule> hotlink = new ArrayList<>(this.hotlinkDeny);
		hotlink.addAll(other.hotlinkDeny);
		return new MandrilRules(this.ip.and(other.ip), uri, hotlink, other.rate.isOn() ? other.rate : this.rate);
	}

}
