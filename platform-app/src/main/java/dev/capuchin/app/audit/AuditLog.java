package dev.capuchin.app.audit;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Who changed what and when, with the state before and after: written in the transaction
 * of the change it records.
 */
public class AuditLog {

	private final JdbcTemplate jdbc;

	public AuditLog(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Record a change.
	 * @param actor who made it
	 * @param action what kind of change, one of {@link AuditAction} (older spellings such
	 * as {@code create} or {@code delete} are stored as their verb, others as written)
	 * @param target what it changed, naming the item:
	 * {@code access rule uri-deny /secret/
	 * on shop}, {@code location /admin/ on shop}, {@code user alice}
	 * @param before the state before, or {@code null}
	 * @param after the state after, or {@code null}
	 */
	public void record(String actor, String action, String target, String before, String after) {
		this.jdbc.update(
				"insert into audit_log (changed_at, actor, action, target, before_value, after_value) values (?, ?, ?, ?, ?, ?)",
				Timestamp.from(Instant.now()), actor, AuditAction.verbOf(action), target, before, after);
	}

	/**
	 * Record a change.
	 * @param actor who made it
	 * @param action what kind of change
	 * @param target what it changed, naming the item
	 * @param before the state before, or {@code null}
	 * @param after the state after, or {@code null}
	 */
	public void record(String actor, AuditAction action, String target, String before, String after) {
		record(actor, action.verb(), target, before, after);
	}

	/**
	 * One page of the entries a filter lets through, newest first.
	 * @param filter which entries
	 * @param offset how many of the newest to skip
	 * @param limit how many to return at most
	 * @return the entries
	 */
	public List<Entry> page(AuditFilter filter, int offset, int limit) {
		List<Object> args = new ArrayList<>();
		String where = filter.where(args);
		args.add(limit);
		args.add(offset);
		return this.jdbc.query(
				"select changed_at, actor, action, target, before_value, after_value from audit_log where " + where
						+ " order by id desc limit ? offset ?",
				(rs, row) -> new Entry(rs.getTimestamp(1).toInstant(), rs.getString(2), rs.getString(3),
						rs.getString(4), rs.getString(5), rs.getString(6)),
				args.toArray());
	}

	/**
	 * The entries a filter lets through that are older than one, newest first, with their
	 * numbers.
	 * @param filter which entries
	 * @param beforeId only entries numbered below this ({@link Long#MAX_VALUE} for the
	 * newest)
	 * @param limit how many to return at most
	 * @return the entries
	 */
	public List<Numbered> before(AuditFilter filter, long beforeId, int limit) {
		List<Object> args = new ArrayList<>();
		String where = filter.where(args);
		args.add(0, beforeId);
		args.add(limit);
		return this.jdbc.query(
				"select id, changed_at, actor, action, target, before_value, after_value from audit_log where id < ? and "
						+ where + " order by id desc limit ?",
				(rs, row) -> new Numbered(rs.getLong(1), new Entry(rs.getTimestamp(2).toInstant(), rs.getString(3),
						rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7))),
				args.toArray());
	}

	/**
	 * How many entries a filter lets through.
	 * @param filter which entries
	 * @return the count
	 */
	public long count(AuditFilter filter) {
		List<Object> args = new ArrayList<>();
		String where = filter.where(args);
		Long count = this.jdbc.queryForObject("select count(*) from audit_log where " + where, Long.class,
				args.toArray());
		return (count != null) ? count : 0;
	}

	/**
	 * The most recent entries, newest first.
	 * @param limit how many
	 * @return the entries
	 */
	public List<Entry> recent(int limit) {
		return this.jdbc.query(
				"select changed_at, actor, action, target, before_value, after_value from audit_log order by id desc",
				(rs) -> {
					List<Entry> entries = new ArrayList<>();
					while (rs.next() && entries.size() < limit) {
						entries.add(new Entry(rs.getTimestamp(1).toInstant(), rs.getString(2), rs.getString(3),
								rs.getString(4), rs.getString(5), rs.getString(6)));
					}
					return entries;
				});
	}

	/**
	 * One page of entries, newest first.
	 * @param offset how many of the newest entries to skip
	 * @param limit how many to return at most
	 * @return the entries
	 */
	public List<Entry> page(int offset, int limit) {
		return this.jdbc.query(
				"select changed_at, actor, action, target, before_value, after_value from audit_log order by id desc limit ? offset ?",
				(rs, row) -> new Entry(rs.getTimestamp(1).toInstant(), rs.getString(2), rs.getString(3),
						rs.getString(4), rs.getString(5), rs.getString(6)),
				limit, offset);
	}

	/**
	 * The entries older than one, newest first, with their numbers: pages that stay put
	 * while new entries arrive.
	 * @param beforeId only entries numbered below this ({@link Long#MAX_VALUE} for the
	 * newest)
	 * @param limit how many to return at most
	 * @return the entries
	 */
	public List<Numbered> before(long beforeId, int limit) {
		return this.jdbc.query(
				"select id, changed_at, actor, action, target, before_value, after_value from audit_log where id < ? order by id desc limit ?",
				(rs, row) -> new Numbered(rs.getLong(1), new Entry(rs.getTimestamp(2).toInstant(), rs.getString(3),
						rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7))),
				beforeId, limit);
	}

	/**
	 * How many entries the log holds.
	 * @return the count
	 */
	public long count() {
		Long count = this.jdbc.queryForObject("select count(*) from audit_log", Long.class);
		return (count != null) ? count : 0;
	}

	/**
	 * One audit entry.
	 *
	 * @param at when
	 * @param actor who
	 * @param action what kind of change
	 * @param target what it changed
	 * @param before the state before
	 * @param after the state after
	 */
	public record Entry(Instant at, String actor, String action, String target, String before, String after) {
	}

	/**
	 * An audit entry with its number, which orders the log.
	 *
	 * @param id the entry's number
	 * @param entry the entry
	 */
	public record Numbered(long id, Entry entry) {
	}

}
