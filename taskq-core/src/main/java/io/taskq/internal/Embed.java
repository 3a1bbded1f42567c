package io.taskq.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The workflow part of an envelope, {@code body[2]} (Celery's "embed"): the callbacks to enqueue when the task
 * succeeds, the errbacks when it fails for good, and the rest of its chain, each a signature as Celery writes one
 * ({@code {"task", "args", "kwargs", "options", "subtask_type", "immutable"}}), and the chord the task is a member of
 * ({@link ChordRef}: taskq's own form, see docs/protocol.md). The one model of the embed for the submit (which
 * writes it) and the worker (which reads it and builds the follow-ups and the chord join from it); see
 * docs/workflows.md.
 *
 * @param callbacks on success, each receives the result as its last argument (Celery {@code link})
 * @param errbacks  on final failure, each receives the failure as its last argument (Celery {@code link_error})
 * @param chain     the rest of the chain in Celery's order: the <em>last</em> element runs next
 * @param chord     the chord whose header this task (or the chain it starts) is a member of, or null
 */
public record Embed(List<Step> callbacks, List<Step> errbacks, List<Step> chain, ChordRef chord) {
    /** The most signatures one embed may hold, nested ones included. */
    public static final int MAX_SIGNATURES = 1000;
    /** How deep signatures may nest (a chain step's callbacks are at depth 2). */
    public static final int MAX_DEPTH = 3;
    /** A signature's priority when it names none. */
    private static final int DEFAULT_PRIORITY = 4;
    /** The longest countdown a step may have: beyond it its time would pass {@code TaskRequest.LATEST} soon. */
    private static final double MAX_SECONDS = 1e9;

    /** An embed with nothing: written as the four fields null. */
    public static final Embed NONE = new Embed(List.of(), List.of(), List.of());

    /** Copies the lists (a chain as a message carried it stays as it is: {@link ChainSteps}). */
    public Embed {
        callbacks = List.copyOf(callbacks);
        errbacks = List.copyOf(errbacks);
        chain = copy(chain);
    }

    private static List<Step> copy(List<Step> chain) {
        return chain instanceof ChainSteps ? chain : List.copyOf(chain);
    }

    /** An embed of no chord. */
    public Embed(List<Step> callbacks, List<Step> errbacks, List<Step> chain) {
        this(callbacks, errbacks, chain, null);
    }

    /** This embed with {@code steps} as the rest of its chain. */
    public Embed withChain(List<Step> steps) {
        return new Embed(callbacks, errbacks, steps, chord);
    }

    /** This embed as a member of {@code ref} (null: of none). */
    public Embed withChord(ChordRef ref) {
        return new Embed(callbacks, errbacks, chain, ref);
    }

    /** True when there is nothing to do after the task. */
    public boolean isEmpty() {
        return callbacks.isEmpty() && errbacks.isEmpty() && chain.isEmpty() && chord == null;
    }

    /** True when the task's result is needed after it (a callback, a next step, or the chord it completes). */
    public boolean needsResult() {
        return !callbacks.isEmpty() || !chain.isEmpty() || (chord != null && !chord.callback().immutable());
    }

    /**
     * Membership of a chord's header: the last task of member {@code index} (the member itself, or the last step of
     * the chain it starts) joins the chord when it ends, and the join that completes the header enqueues
     * {@code callback} with every member's result, in member order (docs/workflows.md).
     *
     * @param id       the chord's id (its group's)
     * @param index    this member's position, 0-based
     * @param size     how many members the header has
     * @param callback the chord's callback; its {@code linkError} runs (once) instead if a member fails
     * @param chain    the chain after the callback (a chord in a chain), in Celery's order; empty for none
     */
    public record ChordRef(String id, int index, int size, Step callback, List<Step> chain) {
        /** Checks the fields. */
        public ChordRef {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(callback, "callback");
            chain = copy(chain);
            if (size < 1 || index < 0 || index >= size) {
                throw new IllegalArgumentException("chord member " + index + " of " + size);
            }
        }
    }

    /**
     * One signature: a task with its arguments and the options taskq resolved at submit. A chain step with a
     * {@code header} is a chord in the chain: the step before it is followed by the header's members, and this step
     * is their chord's callback.
     *
     * @param task          task name
     * @param args          the bound arguments
     * @param immutable     true if it takes no result (Celery {@code si()}); false: the previous result (or the
     *                      failure, for an errback; the list of results, for a chord callback) is appended to
     *                      {@code args}
     * @param id            the id it will have, fixed at submit (so a finish sent twice enqueues it once)
     * @param queue         its queue
     * @param priority      0..9
     * @param countdown     delay after the enqueue, or null
     * @param timeLimit     hard time limit per attempt, or null for the task's own
     * @param softTimeLimit soft time limit per attempt, or null
     * @param link          its own callbacks
     * @param linkError     its own errbacks
     * @param header        the members of the chord this step is the callback of (a chain step only), or empty
     */
    public record Step(String task, ArrayNode args, boolean immutable, String id, String queue, int priority,
                       Duration countdown, Duration timeLimit, Duration softTimeLimit, List<Step> link,
                       List<Step> linkError, List<Step> header) {
        /** Checks the fields. */
        public Step {
            Objects.requireNonNull(task, "task");
            Objects.requireNonNull(args, "args");
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(queue, "queue");
            link = List.copyOf(link);
            linkError = List.copyOf(linkError);
            header = List.copyOf(header);
        }

        /** A step that is no chord callback. */
        public Step(String task, ArrayNode args, boolean immutable, String id, String queue, int priority,
                    Duration countdown, Duration timeLimit, Duration softTimeLimit, List<Step> link,
                    List<Step> linkError) {
            this(task, args, immutable, id, queue, priority, countdown, timeLimit, softTimeLimit, link, linkError,
                    List.of());
        }

        /** This step with other callbacks and errbacks. */
        public Step withLinks(List<Step> callbacks, List<Step> errbacks) {
            return new Step(task, args, immutable, id, queue, priority, countdown, timeLimit, softTimeLimit,
                    callbacks, errbacks, header);
        }

        /** This step without its chord header: the callback as its members' joins enqueue it. */
        public Step withoutHeader() {
            return new Step(task, args, immutable, id, queue, priority, countdown, timeLimit, softTimeLimit, link,
                    linkError, List.of());
        }
    }

    /**
     * The embed as JSON: {@code {"callbacks", "errbacks", "chain", "chord"}}, an empty list written null; a chain
     * that is not empty goes last, where a worker finds it without reading the rest of the message
     * ({@link ChainSteps}).
     */
    public ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.set("callbacks", steps(callbacks));
        o.set("errbacks", steps(errbacks));
        if (chain.isEmpty()) {
            o.putNull("chain");
        }
        if (chord == null) {
            o.putNull("chord");
        } else {
            ObjectNode c = o.putObject("chord");
            c.put("id", chord.id());
            c.put("index", chord.index());
            c.put("size", chord.size());
            c.set("callback", step(chord.callback()));
            c.set("chain", steps(chord.chain()));
        }
        if (!chain.isEmpty()) {
            o.set("chain", steps(chain));
        }
        return o;
    }

    private static JsonNode steps(List<Step> steps) {
        if (steps.isEmpty()) {
            return JsonNodeFactory.instance.nullNode();
        }
        if (steps instanceof ChainSteps c) {
            return c.toJson();
        }
        ArrayNode a = JsonNodeFactory.instance.arrayNode();
        for (Step s : steps) {
            a.add(step(s));
        }
        return a;
    }

    /**
     * One signature, without the fields that hold their defaults (no keyword arguments, priority 4, no countdown or
     * time limits, no callbacks, not a chord, not immutable), as {@link #parse} reads them: a chain carries every
     * step still to come in each message, so each byte of a step is paid once per step before it.
     */
    private static ObjectNode step(Step s) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("task", s.task());
        o.set("args", s.args());
        ObjectNode opt = o.putObject("options");
        opt.put("task_id", s.id());
        opt.put("queue", s.queue());
        if (s.priority() != DEFAULT_PRIORITY) {
            opt.put("priority", s.priority());
        }
        seconds(opt, "countdown", s.countdown());
        seconds(opt, "time_limit", s.timeLimit());
        seconds(opt, "soft_time_limit", s.softTimeLimit());
        if (!s.link().isEmpty()) {
            opt.set("link", steps(s.link()));
        }
        if (!s.linkError().isEmpty()) {
            opt.set("link_error", steps(s.linkError()));
        }
        if (!s.header().isEmpty()) {
            o.put("subtask_type", "chord");
            o.set("header", steps(s.header()));
        }
        if (s.immutable()) {
            o.put("immutable", true);
        }
        return o;
    }

    private static void seconds(ObjectNode o, String field, Duration d) {
        if (d != null) {
            o.put(field, d.toMillis() / 1000.0);
        }
    }

    /**
     * Reads {@code body[2]}; an absent or null embed, or one whose fields are all null, is {@link #NONE}.
     *
     * @throws Envelope.MalformedException saying what is wrong (a chord, a signature without a task, too many...)
     */
    public static Embed parse(JsonNode node) throws Envelope.MalformedException {
        if (node == null || node.isNull()) {
            return NONE;
        }
        if (!node.isObject()) {
            throw malformed("'body[2]' (the embed) must be an object");
        }
        int[] count = {0};
        return new Embed(list(node.get("callbacks"), "callbacks", 1, count),
                list(node.get("errbacks"), "errbacks", 1, count), list(node.get("chain"), "chain", 1, count),
                chord(node.get("chord"), count));
    }

    /** One signature (a chain's next step), checked as {@link #parse} checks those of an embed. */
    static Step parseSignature(JsonNode s, String where) throws Envelope.MalformedException {
        return parseStep(s, where, 1, new int[] {1});
    }

    /** A JSON array of signatures, checked as {@link #parse} checks an embed's. */
    static List<Step> parseSignatures(JsonNode a, String where) throws Envelope.MalformedException {
        return list(a, where, 1, new int[] {0});
    }

    private static ChordRef chord(JsonNode c, int[] count) throws Envelope.MalformedException {
        if (c == null || c.isNull()) {
            return null;
        }
        if (!c.isObject()) {
            throw malformed("embed field 'chord' must be an object or null");
        }
        JsonNode id = c.get("id");
        JsonNode index = c.get("index");
        JsonNode size = c.get("size");
        if (id == null || !id.isTextual() || id.textValue().isBlank()) {
            throw malformed("the chord needs an 'id' string");
        }
        if (size == null || !size.isInt() || size.intValue() < 1 || index == null || !index.isInt()
                || index.intValue() < 0 || index.intValue() >= size.intValue()) {
            throw malformed("the chord needs a 'size' of at least 1 and an 'index' 0..size-1, was " + index
                    + " of " + size);
        }
        JsonNode cb = c.get("callback");
        if (cb == null || cb.isNull()) {
            throw malformed("the chord needs a 'callback' signature");
        }
        if (++count[0] > MAX_SIGNATURES) {
            throw malformed("the embed holds more than " + MAX_SIGNATURES + " signatures");
        }
        return new ChordRef(id.textValue(), index.intValue(), size.intValue(),
                parseStep(cb, "chord.callback", 1, count), list(c.get("chain"), "chord.chain", 1, count));
    }

    private static List<Step> list(JsonNode n, String where, int depth, int[] count)
            throws Envelope.MalformedException {
        if (n == null || n.isNull()) {
            return List.of();
        }
        if (!n.isArray()) {
            throw malformed("embed field '" + where + "' must be an array or null");
        }
        if (depth > MAX_DEPTH) {
            throw malformed("embed signatures nest deeper than " + MAX_DEPTH + " levels (at '" + where + "')");
        }
        List<Step> out = new ArrayList<>(n.size());
        for (int i = 0; i < n.size(); i++) {
            if (++count[0] > MAX_SIGNATURES) {
                throw malformed("the embed holds more than " + MAX_SIGNATURES + " signatures");
            }
            out.add(parseStep(n.get(i), where + "[" + i + "]", depth, count));
        }
        return out;
    }

    private static Step parseStep(JsonNode s, String where, int depth, int[] count)
            throws Envelope.MalformedException {
        if (!s.isObject()) {
            throw malformed("signature " + where + " must be an object");
        }
        String task = text(s, "task", where);
        JsonNode args = s.get("args");
        if (args == null || !args.isArray()) {
            throw malformed("signature " + where + " needs an 'args' array");
        }
        JsonNode kwargs = s.get("kwargs");
        if (kwargs != null && !kwargs.isNull() && (!kwargs.isObject() || kwargs.size() > 0)) {
            throw malformed("signature " + where + ": keyword arguments are not supported by Java tasks");
        }
        JsonNode opt = s.get("options");
        if (opt == null || !opt.isObject()) {
            throw malformed("signature " + where + " needs an 'options' object");
        }
        String id = text(opt, "task_id", where);
        String queue = text(opt, "queue", where);
        JsonNode p = opt.get("priority");
        int priority = p == null || p.isNull() ? DEFAULT_PRIORITY : p.isInt() ? p.intValue() : -1;
        if (priority < 0 || priority > 9) {
            throw malformed("signature " + where + ": priority must be an integer 0..9, was " + p);
        }
        JsonNode imm = s.get("immutable");
        if (imm != null && !imm.isNull() && !imm.isBoolean()) {
            throw malformed("signature " + where + ": 'immutable' must be a boolean");
        }
        try {
            Names.check("task name", task);
            Names.check("queue", queue);
        } catch (IllegalArgumentException e) {
            throw malformed("signature " + where + ": " + e.getMessage());
        }
        return new Step(task, (ArrayNode) args, imm != null && imm.asBoolean(), id, queue, priority,
                seconds(opt, "countdown", where, true), seconds(opt, "time_limit", where, false),
                seconds(opt, "soft_time_limit", where, false),
                list(opt.get("link"), where + ".link", depth + 1, count),
                list(opt.get("link_error"), where + ".link_error", depth + 1, count),
                list(s.get("header"), where + ".header", depth + 1, count));
    }

    private static String text(JsonNode o, String field, String where) throws Envelope.MalformedException {
        JsonNode n = o.get(field);
        if (n == null || !n.isTextual() || n.textValue().isBlank()) {
            throw malformed("signature " + where + " needs a '" + field + "' string");
        }
        return n.textValue();
    }

    private static Duration seconds(JsonNode opt, String field, String where, boolean zeroAllowed)
            throws Envelope.MalformedException {
        JsonNode n = opt.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        double v = n.isNumber() ? n.doubleValue() : Double.NaN;
        if (!(v >= 0) || v > MAX_SECONDS || (!zeroAllowed && v == 0)) {
            throw malformed("signature " + where + ": '" + field + "' must be a number of seconds, "
                    + (zeroAllowed ? "0" : "above 0") + " to " + (long) MAX_SECONDS + ", was " + n);
        }
        return Duration.ofMillis((long) (v * 1000));
    }

    private static Envelope.MalformedException malformed(String message) {
        return new Envelope.MalformedException(message);
    }
}
