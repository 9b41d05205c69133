------------------------------- MODULE Coalesce -------------------------------
(***************************************************************************)
(* Coalescing writes to one path (`writeAtomic(p, data, { coalesce: true })`, *)
(* DESIGN.md section 4): while a commit is in flight later calls queue; a  *)
(* not-yet-started entry absorbs every later call (the newest payload      *)
(* wins); when the in-flight commit settles, that entry starts and writes  *)
(* only the newest payload; all its callers settle together when that      *)
(* payload is durable (or all are rejected if its commit fails).           *)
(*                                                                         *)
(* Calls are numbered 1..MaxCalls in call order; call v carries payload    *)
(* version v ("newer" = larger). The commit itself is abstracted to three  *)
(* steps; CommitProtocol.tla checks that "durable" is what a crash keeps.  *)
(*                                                                         *)
(* Action          <-> TypeScript (packages/core/src/internal/path-queue.ts) *)
(*   Call          <-> enqueue(key, payload, run, coalesce = true): the    *)
(*                     slot is taken synchronously; a coalescing tail      *)
(*                     entry that has not started takes the new payload    *)
(*                     and the new waiter; with an empty line the entry is *)
(*                     pushed and pump() starts it at once                 *)
(*   Publish       <-> run(): commit up to TempFile.publish (the rename)   *)
(*   Durable       <-> run(): syncDirectory() returned                     *)
(*   Finish        <-> pump(): p.then -> every waiter of the entry resolves *)
(*   Fail          <-> pump(): p.then(_, err) -> every waiter rejects      *)
(*                     (a failure before the rename, or a strict-mode      *)
(*                     directory fsync error after it)                     *)
(*   Pump          <-> pump() in .finally: the next entry starts           *)
(*                                                                         *)
(* Broken variant: AckAtEnqueue = TRUE resolves the superseded callers of  *)
(* the tail entry as soon as a newer call replaces their payload.          *)
(***************************************************************************)
EXTENDS Naturals, FiniteSets, TLC

CONSTANTS
    MaxCalls,
    AckAtEnqueue,   \* correct: FALSE
    WithFailures

None == [on |-> FALSE, payload |-> 0, waiters |-> {}, phase |-> "-"]

VARIABLES
    calls,     \* calls made so far (= newest version)
    head,      \* the started entry (in flight), or None
    tail,      \* the not-yet-started coalescing entry, or None
    visible,   \* version the path shows
    durable,   \* version a crash would keep
    acked,     \* callers whose promise resolved
    rejected   \* callers whose promise rejected

vars == <<calls, head, tail, visible, durable, acked, rejected>>

Init ==
    /\ calls = 0 /\ head = None /\ tail = None
    /\ visible = 0 /\ durable = 0
    /\ acked = {} /\ rejected = {}

Entry(v, ws, ph) == [on |-> TRUE, payload |-> v, waiters |-> ws, phase |-> ph]

Call ==
    /\ calls < MaxCalls
    /\ LET v == calls + 1 IN
       /\ calls' = v
       /\ IF ~head.on /\ ~tail.on
            THEN \* empty line: pushed and started at once
                 /\ head' = Entry(v, {v}, "writing")
                 /\ UNCHANGED <<tail, acked>>
            ELSE IF tail.on
            THEN IF AckAtEnqueue
                 THEN /\ acked' = acked \cup tail.waiters      \* BROKEN
                      /\ tail' = Entry(v, {v}, "queued")
                      /\ UNCHANGED head
                 ELSE /\ tail' = Entry(v, tail.waiters \cup {v}, "queued")
                      /\ UNCHANGED <<head, acked>>
            ELSE /\ tail' = Entry(v, {v}, "queued")
                 /\ UNCHANGED <<head, acked>>
    /\ UNCHANGED <<visible, durable, rejected>>

Publish ==
    /\ head.on /\ head.phase = "writing"
    /\ visible' = head.payload
    /\ head' = [head EXCEPT !.phase = "published"]
    /\ UNCHANGED <<calls, tail, durable, acked, rejected>>

Durable ==
    /\ head.on /\ head.phase = "published"
    /\ durable' = head.payload
    /\ head' = [head EXCEPT !.phase = "durable"]
    /\ UNCHANGED <<calls, tail, visible, acked, rejected>>

Finish ==
    /\ head.on /\ head.phase = "durable"
    /\ acked' = acked \cup head.waiters
    /\ head' = None
    /\ UNCHANGED <<calls, tail, visible, durable, rejected>>

Fail ==
    /\ WithFailures
    /\ head.on /\ head.phase \in {"writing", "published"}
    /\ rejected' = rejected \cup head.waiters
    /\ head' = None
    /\ UNCHANGED <<calls, tail, visible, durable, acked>>

Pump ==
    /\ ~head.on /\ tail.on
    /\ head' = [tail EXCEPT !.phase = "writing"]
    /\ tail' = None
    /\ UNCHANGED <<calls, visible, durable, acked, rejected>>

Next == Call \/ Publish \/ Durable \/ Finish \/ Fail \/ Pump

Spec == Init /\ [][Next]_vars

-----------------------------------------------------------------------------
Quiescent == calls = MaxCalls /\ ~head.on /\ ~tail.on

TypeOK ==
    /\ calls \in 0..MaxCalls
    /\ acked \subseteq 1..MaxCalls /\ rejected \subseteq 1..MaxCalls

\* No caller is acknowledged before a durable version at least as new as its own.
NoEarlyAck == \A v \in acked : durable >= v

\* A promise settles once: never both resolved and rejected.
SettleOnce == acked \cap rejected = {}

\* Once all calls settled, each was either resolved or rejected; if the newest
\* call resolved, the durable (and visible) version is the newest call's.
FinalIsNewest ==
    Quiescent => /\ acked \cup rejected = 1..MaxCalls
                 /\ (MaxCalls \in acked) => (durable = MaxCalls /\ visible = MaxCalls)

\* Without failures the final durable version is always the newest call's.
FinalIsNewestNoFailures == (Quiescent /\ ~WithFailures) => durable = MaxCalls

\* The durable version never goes back (a superseded payload is never written
\* after a newer one).
DurableMonotone == [][durable' >= durable]_vars

-----------------------------------------------------------------------------
\* REACHABILITY WITNESSES. Each is the negation of a situation the model must be
\* able to reach; a *_witness_*.cfg lists one, and the runner requires TLC to
\* report it violated (so the invariants above are not vacuously true).

\* One commit settles three callers at once (two of them superseded).
WitnessCoalesced == ~(head.on /\ head.phase = "durable" /\ Cardinality(head.waiters) >= 3)
=============================================================================
