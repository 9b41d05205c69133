-------------------------------- MODULE Lock --------------------------------
(***************************************************************************)
(* The lock lifecycle of @safeatomic/lock (DESIGN.md sections 5 and 7):    *)
(* `<t>.lock` created O_EXCL holding (pid, process start time, random      *)
(* token); owner-checked release; SIGKILL of any process at any point,     *)
(* pid reuse by a later process with another start time; staleness by     *)
(* pid/start time; concurrent breakers serialised by `<t>.lock.break`;     *)
(* several async callers of one process serialised by the in-process      *)
(* per-path FIFO before they touch the lock file.                          *)
(*                                                                         *)
(* Processes 1, 2, 3 on ONE host. Process 1 has two async callers (a, b),  *)
(* processes 2 and 3 one each. A caller = <<pid, name>>.                   *)
(*                                                                         *)
(* Action            <-> TypeScript (packages/lock/src, packages/core/src) *)
(*   Enqueue, Start  <-> core internal/path-queue.ts enqueue(): a per-path *)
(*                       FIFO slot, taken before the guard is acquired     *)
(*   TryCreate,      <-> tryAcquireLock / acquireLock: open(<t>.lock,      *)
(*   WriteLock           O_CREAT|O_EXCL), then write {pid, start, token}   *)
(*   ReadJudge       <-> inspectLock + isStaleLock: read the lock, stale   *)
(*                       iff same host and (pid dead, or pid alive with a  *)
(*                       different process start time); otherwise back off *)
(*   TakeMutex,      <-> releaseStaleLock: create <t>.lock.break O_EXCL,   *)
(*   Recheck,            re-read the lock, unlink it only if it still      *)
(*   UnlinkStale,        holds the token judged stale and is still stale,  *)
(*   DropMutex           then remove <t>.lock.break                        *)
(*   BreakByPath     <-> BROKEN: unlink(<t>.lock) right after judging      *)
(*   RelRead, RelUnlink <-> releaseLock / GuardHandle.release(): read the  *)
(*                       lock, unlink only if it holds our token           *)
(*   StrayRelease    <-> a second release of an already released handle    *)
(*                       (a finally/dispose path running after commit's    *)
(*                       release, or a retried release): must be a no-op   *)
(*   Kill, Respawn   <-> SIGKILL; the OS reusing the pid for a new process *)
(*                       with a later start time                           *)
(*                                                                         *)
(* Not modelled: other hosts (their locks are never judged stale),         *)
(* forceReleaseLock (an operator override that forfeits exclusion), and    *)
(* recovery of a stale `<t>.lock.break` left by a breaker killed inside    *)
(* it: here it stays, so breaking blocks (safe, not live).                 *)
(*                                                                         *)
(* The lock file is created empty by O_EXCL and its JSON line written      *)
(* afterwards (WriteLock); a reader in between sees an empty file. The     *)
(* model treats an empty / unparsable lock as held (back off). A creator   *)
(* killed in that window leaves an empty lock that the model never breaks  *)
(* (the implementation needs a grace period for it, which TLC cannot      *)
(* check; creating the lock by link() of a written temp avoids it).        *)
(*                                                                         *)
(* Broken variants: BreakMutex = FALSE (unlink by path after judging       *)
(* stale), TokenCheck = FALSE (release unlinks by path), InProcessQueue =  *)
(* FALSE (callers of one process go straight to the lock file),            *)
(* EmptyIsStale = TRUE (an empty lock is broken at once).                  *)
(***************************************************************************)
EXTENDS Naturals, Sequences, FiniteSets, TLC

CONSTANTS
    BreakMutex,      \* correct: TRUE
    TokenCheck,      \* correct: TRUE
    InProcessQueue,  \* correct: TRUE
    MaxGen,          \* start times per pid (pid reuse): 1..MaxGen
    MaxKills,        \* SIGKILLs per behaviour
    EmptyIsStale     \* correct: FALSE (an empty / unparsable lock is treated as held)

Pids == {1, 2, 3}
C == {<<1, "a">>, <<1, "b">>, <<2, "a">>, <<3, "a">>}
NoLock == <<0, 0, "-">>          \* no lock file
EmptyLock == <<0, 0, "empty">>   \* what a reader sees between O_EXCL create and the write
NoOne == <<0, "-">>              \* nobody holds <t>.lock.break

VARIABLES
    alive,     \* pid -> is a process running with this pid
    gen,       \* pid -> start time of the process that has (or last had) it
    kills,
    cpc,       \* caller state
    q,         \* in-process FIFO per process (for the one path)
    lock,      \* whose <t>.lock it is: <<pid, start, caller>> (token) or NoLock
    written,   \* its JSON line has been written (else a reader sees it empty)
    obs,       \* the lock content a caller judged stale
    brkm,      \* holder of <t>.lock.break
    liveBroken,  \* history: a live owner's lock was unlinked by a breaker
    badRel,      \* history: a release unlinked a lock that was not its own
    selfSeen     \* history: a caller found its own process's live lock

vars == <<alive, gen, kills, cpc, q, lock, written, obs, brkm, liveBroken, badRel, selfSeen>>

P(c) == c[1]
MyTok(c) == <<c[1], gen[c[1]], c[2]>>
Stale(l) == ~alive[l[1]] \/ gen[l[1]] /= l[2]
Owner(c) == alive[P(c)] /\ cpc[c] \in {"creating", "held", "relunlink"}
Visible == IF lock = NoLock THEN NoLock ELSE IF written THEN lock ELSE EmptyLock
StaleSeen(v) == IF v = EmptyLock THEN EmptyIsStale ELSE Stale(v)
IsLiveOwnersLock(l) == \E o \in C : Owner(o) /\ MyTok(o) = l

Init ==
    /\ alive = [p \in Pids |-> TRUE]
    /\ gen = [p \in Pids |-> 1]
    /\ kills = 0
    /\ cpc = [c \in C |-> "idle"]
    /\ q = [p \in Pids |-> <<>>]
    /\ lock = NoLock
    /\ written = TRUE
    /\ obs = [c \in C |-> NoLock]
    /\ brkm = NoOne
    /\ liveBroken = FALSE /\ badRel = FALSE /\ selfSeen = FALSE

Go(c, s) == cpc' = [cpc EXCEPT ![c] = s]

\* Take the in-process FIFO slot (or, broken, skip it).
Enqueue(c) ==
    /\ alive[P(c)] /\ cpc[c] = "idle"
    /\ IF InProcessQueue
         THEN Go(c, "queued") /\ q' = [q EXCEPT ![P(c)] = Append(@, c)]
         ELSE Go(c, "try") /\ UNCHANGED q
    /\ UNCHANGED <<written, alive, gen, kills, lock, obs, brkm, liveBroken, badRel, selfSeen>>

Start(c) ==
    /\ alive[P(c)] /\ cpc[c] = "queued" /\ Head(q[P(c)]) = c
    /\ Go(c, "try")
    /\ UNCHANGED <<alive, gen, kills, q, lock, written, obs, brkm, liveBroken, badRel, selfSeen>>

\* open(<t>.lock, O_CREAT|O_EXCL): atomic create-if-absent; the file is
\* empty until WriteLock writes the JSON line (a Python peer does the same).
TryCreate(c) ==
    /\ alive[P(c)] /\ cpc[c] = "try"
    /\ IF lock = NoLock
         THEN lock' = MyTok(c) /\ written' = FALSE /\ Go(c, "creating")
         ELSE UNCHANGED <<lock, written>> /\ Go(c, "read")
    /\ UNCHANGED <<alive, gen, kills, q, obs, brkm, liveBroken, badRel, selfSeen>>

WriteLock(c) ==
    /\ alive[P(c)] /\ cpc[c] = "creating"
    /\ written' = TRUE /\ Go(c, "held")
    /\ UNCHANGED <<alive, gen, kills, q, lock, obs, brkm, liveBroken, badRel, selfSeen>>

\* EEXIST: read the lock and judge it (same host assumed). An empty lock
\* (creator between create and write) counts as held unless EmptyIsStale.
ReadJudge(c) ==
    /\ alive[P(c)] /\ cpc[c] = "read"
    /\ IF Visible = NoLock
         THEN Go(c, "try") /\ UNCHANGED <<obs, selfSeen>>
         ELSE /\ selfSeen' = (selfSeen \/ (Visible[1] = P(c) /\ Visible[2] = gen[P(c)]))
              /\ IF StaleSeen(Visible)
                   THEN obs' = [obs EXCEPT ![c] = Visible] /\ Go(c, "stale")
                   ELSE Go(c, "try") /\ UNCHANGED obs     \* back off, retry
    /\ UNCHANGED <<written, alive, gen, kills, q, lock, brkm, liveBroken, badRel>>

\* Correct breaking: inside <t>.lock.break, recheck, then unlink.
TakeMutex(c) ==
    /\ BreakMutex /\ alive[P(c)] /\ cpc[c] = "stale" /\ brkm = NoOne
    /\ brkm' = c /\ Go(c, "inmutex")
    /\ UNCHANGED <<written, alive, gen, kills, q, lock, obs, liveBroken, badRel, selfSeen>>

Recheck(c) ==
    /\ alive[P(c)] /\ cpc[c] = "inmutex"
    /\ IF Visible = obs[c] /\ StaleSeen(Visible) THEN Go(c, "unlink") ELSE Go(c, "drop")
    /\ UNCHANGED <<alive, gen, kills, q, lock, written, obs, brkm, liveBroken, badRel, selfSeen>>

UnlinkStale(c) ==
    /\ alive[P(c)] /\ cpc[c] = "unlink"
    /\ liveBroken' = (liveBroken \/ IsLiveOwnersLock(lock))
    /\ lock' = NoLock /\ Go(c, "drop")
    /\ written' = TRUE
    /\ UNCHANGED <<alive, gen, kills, q, obs, brkm, badRel, selfSeen>>

DropMutex(c) ==
    /\ alive[P(c)] /\ cpc[c] = "drop"
    /\ brkm' = NoOne /\ Go(c, "try") /\ obs' = [obs EXCEPT ![c] = NoLock]
    /\ UNCHANGED <<written, alive, gen, kills, q, lock, liveBroken, badRel, selfSeen>>

\* BROKEN breaking: unlink by path as soon as the lock was judged stale.
BreakByPath(c) ==
    /\ ~BreakMutex /\ alive[P(c)] /\ cpc[c] = "stale"
    /\ liveBroken' = (liveBroken \/ IsLiveOwnersLock(lock))
    /\ lock' = NoLock /\ Go(c, "try") /\ obs' = [obs EXCEPT ![c] = NoLock]
    /\ written' = TRUE
    /\ UNCHANGED <<alive, gen, kills, q, brkm, badRel, selfSeen>>

\* Release (held -> relread -> relunlink -> done) and the stray second
\* release (done -> srelread -> srelunlink -> fin) run the same two steps.
RelRead(c) ==
    /\ alive[P(c)] /\ cpc[c] \in {"held", "done"}
    /\ LET first == cpc[c] = "held" IN
       IF ~TokenCheck \/ Visible = MyTok(c)
         THEN Go(c, IF first THEN "relunlink" ELSE "srelunlink")
         ELSE Go(c, IF first THEN "relfin" ELSE "fin")
    /\ UNCHANGED <<alive, gen, kills, q, lock, written, obs, brkm, liveBroken, badRel, selfSeen>>

RelUnlink(c) ==
    /\ alive[P(c)] /\ cpc[c] \in {"relunlink", "srelunlink"}
    /\ badRel' = (badRel \/ (lock /= NoLock /\ lock /= MyTok(c)))
    /\ lock' = NoLock
    /\ Go(c, IF cpc[c] = "relunlink" THEN "relfin" ELSE "fin")
    /\ written' = TRUE
    /\ UNCHANGED <<alive, gen, kills, q, obs, brkm, liveBroken, selfSeen>>

\* The release returns; the caller gives up its in-process slot.
RelDone(c) ==
    /\ alive[P(c)] /\ cpc[c] = "relfin"
    /\ Go(c, "done")
    /\ q' = IF InProcessQueue THEN [q EXCEPT ![P(c)] = Tail(@)] ELSE q
    /\ UNCHANGED <<written, alive, gen, kills, lock, obs, brkm, liveBroken, badRel, selfSeen>>

\* SIGKILL: the process and all its callers vanish; files stay.
Kill(p) ==
    /\ alive[p] /\ kills < MaxKills
    /\ alive' = [alive EXCEPT ![p] = FALSE]
    /\ kills' = kills + 1
    /\ cpc' = [c \in C |-> IF P(c) = p THEN "dead" ELSE cpc[c]]
    /\ q' = [q EXCEPT ![p] = <<>>]
    /\ UNCHANGED <<written, gen, lock, obs, brkm, liveBroken, badRel, selfSeen>>

\* The OS hands the pid to a new process with a later start time.
Respawn(p) ==
    /\ ~alive[p] /\ gen[p] < MaxGen
    /\ alive' = [alive EXCEPT ![p] = TRUE]
    /\ gen' = [gen EXCEPT ![p] = @ + 1]
    /\ cpc' = [c \in C |-> IF P(c) = p THEN "idle" ELSE cpc[c]]
    /\ obs' = [c \in C |-> IF P(c) = p THEN NoLock ELSE obs[c]]
    /\ UNCHANGED <<written, kills, q, lock, brkm, liveBroken, badRel, selfSeen>>

Next ==
    \/ \E c \in C : \/ Enqueue(c) \/ Start(c) \/ TryCreate(c) \/ WriteLock(c) \/ ReadJudge(c)
                    \/ TakeMutex(c) \/ Recheck(c) \/ UnlinkStale(c) \/ DropMutex(c)
                    \/ BreakByPath(c) \/ RelRead(c) \/ RelUnlink(c) \/ RelDone(c)
    \/ \E p \in Pids : Kill(p) \/ Respawn(p)

Spec == Init /\ [][Next]_vars

-----------------------------------------------------------------------------
\* INVARIANTS

TypeOK ==
    /\ alive \in [Pids -> BOOLEAN]
    /\ gen \in [Pids -> 1..MaxGen]
    /\ cpc \in [C -> {"idle", "queued", "try", "creating", "read", "stale", "inmutex", "unlink",
                      "drop", "held", "relunlink", "relfin", "done",
                      "srelunlink", "fin", "dead"}]
    /\ brkm \in C \cup {NoOne}

\* WriterExclusion: at most one live owner.
MutualExclusion == \A c1, c2 \in C : (Owner(c1) /\ Owner(c2)) => c1 = c2

\* A live owner's lock file is never broken (it still holds its token).
LiveLockIntact == (\A c \in C : Owner(c) => lock = MyTok(c)) /\ ~liveBroken

\* A release never removes another owner's lock.
ReleaseSafe == ~badRel

\* Callers of one process never contend on their own process's lock.
NoSelfContention == ~selfSeen

-----------------------------------------------------------------------------
\* REACHABILITY WITNESSES. Each is the negation of a situation the model must be
\* able to reach; a *_witness_*.cfg lists one, and the runner requires TLC to
\* report it violated (so the invariants above are not vacuously true).

\* Two breakers judged the same lock stale at the same time.
WitnessConcurrentBreakers ==
    ~(\E c1, c2 \in C : c1 /= c2 /\ obs[c1] /= NoLock /\ obs[c1] = obs[c2])

\* A breaker unlinks a lock whose pid is alive again (reused, other start time).
WitnessPidReuseBreak == ~(\E c \in C : cpc[c] = "unlink" /\ alive[obs[c][1]])
=============================================================================
