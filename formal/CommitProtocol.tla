---------------------------- MODULE CommitProtocol ----------------------------
(***************************************************************************)
(* The commit protocol of DESIGN.md section 4 (what `writeAtomic` does),   *)
(* checked against a harsh crash model.                                    *)
(*                                                                         *)
(* Actors: two async callers a1, a2 of one process writing target "A"      *)
(* (serialised by the in-process per-path queue), one caller b1 writing    *)
(* target "B" in the SAME directory (so it shares directory fsyncs with   *)
(* a1/a2), and one reader of "A".                                          *)
(*                                                                         *)
(* Action            <-> TypeScript (packages/core/src)                    *)
(*   Call(w)         <-> writeAtomic -> internal/path-queue.ts enqueue()   *)
(*                       (slot taken synchronously, in call order)         *)
(*   OpenTemp(w)     <-> internal/temp-file.ts TempFile.create()           *)
(*                       ("openTemp": O_CREAT|O_EXCL|O_WRONLY, 0600,       *)
(*                       retry on EEXIST; the model picks a free name)     *)
(*   WriteChunk(w),  <-> TempFile.write() ("writeAll": loop on short       *)
(*   WriteRest(w)        writes; the first step leaves a torn file)        *)
(*   FsyncFile(w)    <-> TempFile.fsyncClose() ("fsyncFile")               *)
(*   Rename(w)       <-> TempFile.publish() ("renameIntoPlace", the        *)
(*                       visibility point, step 8)                         *)
(*   DirFsyncStart,  <-> internal/dir-sync.ts syncDirectory()/startRound() *)
(*   DirFsyncEnd         ("fsyncDir", shared by every caller whose rename  *)
(*                       completed before the round STARTED; the round's   *)
(*                       callers are acknowledged when it ends)            *)
(*   Fail(w)         <-> abortCommit(): any failure before the rename      *)
(*                       unlinks the temp file; the caller is rejected     *)
(*   ROpen, RRead    <-> readAtomic(): open the name, then read the inode  *)
(*   Crash           <-> power loss at any point (see persistence model)   *)
(*                                                                         *)
(* PERSISTENCE MODEL (the harsh one, as TESTING.md layer 4):               *)
(*  - every inode has volatile data vdata and durable data ddata; fsync of *)
(*    the file copies vdata to ddata (data and size);                      *)
(*  - the directory has a volatile view vdir and a durable view ddir;      *)
(*    renames not yet covered by a COMPLETED directory fsync sit in the    *)
(*    log `pend`; a directory fsync covers exactly the renames logged      *)
(*    before it started (a later rename may or may not be covered on a     *)
(*    real kernel, so the model assumes it is not);                        *)
(*  - on a crash ANY SUBSET of the un-fsynced operations may persist:      *)
(*    each target ends up naming its durable inode or the inode of any     *)
(*    pending rename onto it; each inode whose data was not fsynced        *)
(*    recovers as its durable data, its volatile data, or Garbage          *)
(*    (a torn / zero-filled mix of some un-fsynced blocks and the size).   *)
(*  Rename is atomic (a name never names "half" an inode). Directory       *)
(*  entries of temp names are not kept in the durable view: they do not    *)
(*  change what a target holds after a crash (leftovers are swept).        *)
(*                                                                         *)
(* Broken variants (each a .cfg that the runner requires TLC to reject):   *)
(*   FileFsync = FALSE  no fsync of the temp file before the rename        *)
(*   DirFsync  = FALSE  acknowledged right after the rename                *)
(*   Excl      = FALSE  open(O_CREAT|O_TRUNC) without O_EXCL: two writers  *)
(*                      that draw the same temp name share one inode       *)
(*   LateAck   = TRUE   a shared directory fsync also acknowledges callers *)
(*                      whose rename happened after it started             *)
(***************************************************************************)
EXTENDS Naturals, Sequences, FiniteSets, TLC

CONSTANTS
    FileFsync,     \* correct: TRUE
    DirFsync,      \* correct: TRUE
    Excl,          \* correct: TRUE
    LateAck,       \* correct: FALSE
    WithFailures   \* model failures before the rename (abortCommit)

WA == {"a1", "a2"}              \* callers writing "A" (one process, one queue)
WB == {"b1"}                    \* caller writing "B" in the same directory
W == WA \cup WB
Targets == {"A", "B"}
TmpNames == {"t1", "t2"}        \* stand-ins for .safeatomic-tmp-<16 hex>.tmp
Names == Targets \cup TmpNames
Tgt(w) == IF w \in WA THEN "A" ELSE "B"
Old == [t \in Targets |-> "i" \o t \o "0"]   \* inodes of the initial files
Inodes == {Old[t] : t \in Targets} \cup W   \* a writer's own temp inode = its name
NoIno == "none"

\* File contents. A version is identified by (target, call number); 0 = old.
Full(t, v) == [k |-> "full", t |-> t, v |-> v]
Torn(t, v) == [k |-> "torn", t |-> t, v |-> v]
Empty == [k |-> "empty", t |-> "-", v |-> 0]
Garbage == [k |-> "garbage", t |-> "-", v |-> 0]
IsComplete(c, t) == c.k = "full" /\ c.t = t

Max(a, b) == IF a >= b THEN a ELSE b

VARIABLES
    pc,        \* writer state
    ver,       \* version number of each writer's payload (its call order)
    calls,     \* calls made so far per target
    queue,     \* in-process FIFO per target (path-queue.ts)
    tmp,       \* temp name each writer holds
    ino,       \* inode each writer's temp fd refers to
    vdir,      \* volatile directory: name -> inode (NoIno = absent)
    ddir,      \* durable directory entries of the targets
    pend,      \* renames <<target, inode>> not covered by a completed dir fsync
    vdata,     \* volatile data per inode
    ddata,     \* durable data per inode
    dsync,     \* the shared directory fsync round in flight
    acked,     \* highest acknowledged version per target
    rpc, rino, saw,   \* the reader of "A" and what it last read
    crashed, after    \* after a crash: what each target holds on disk

vars == <<pc, ver, calls, queue, tmp, ino, vdir, ddir, pend, vdata, ddata,
          dsync, acked, rpc, rino, saw, crashed, after>>

Init ==
    /\ pc = [w \in W |-> "idle"]
    /\ ver = [w \in W |-> 0]
    /\ calls = [t \in Targets |-> 0]
    /\ queue = [t \in Targets |-> <<>>]
    /\ tmp = [w \in W |-> "-"]
    /\ ino = [w \in W |-> NoIno]
    /\ vdir = [n \in Names |-> IF n \in Targets THEN Old[n] ELSE NoIno]
    /\ ddir = [t \in Targets |-> Old[t]]
    /\ pend = <<>>
    /\ vdata = [i \in Inodes |-> IF i \in W THEN Empty ELSE Full(IF i = Old["A"] THEN "A" ELSE "B", 0)]
    /\ ddata = vdata
    /\ dsync = [on |-> FALSE, upto |-> 0, covers |-> {}]
    /\ acked = [t \in Targets |-> 0]
    /\ rpc = "idle" /\ rino = NoIno /\ saw = Full("A", 0)
    /\ crashed = FALSE
    /\ after = [t \in Targets |-> Empty]

Running == ~crashed
IsHead(w) == queue[Tgt(w)] /= <<>> /\ Head(queue[Tgt(w)]) = w
Dequeue(ws) == [t \in Targets |-> IF queue[t] /= <<>> /\ Head(queue[t]) \in ws
                                  THEN Tail(queue[t]) ELSE queue[t]]

\* writeAtomic: the queue slot is taken synchronously, in call order.
Call(w) ==
    /\ Running /\ pc[w] = "idle"
    /\ pc' = [pc EXCEPT ![w] = "queued"]
    /\ ver' = [ver EXCEPT ![w] = calls[Tgt(w)] + 1]
    /\ calls' = [calls EXCEPT ![Tgt(w)] = @ + 1]
    /\ queue' = [queue EXCEPT ![Tgt(w)] = Append(@, w)]
    /\ UNCHANGED <<tmp, ino, vdir, ddir, pend, vdata, ddata, dsync, acked,
                   rpc, rino, saw, crashed, after>>

\* openTemp. With O_EXCL an existing name fails with EEXIST and the writer
\* draws another name (the model picks a free one). Without O_EXCL (broken
\* variant) an existing name is opened and truncated: the inode is shared.
OpenTemp(w) ==
    /\ Running /\ pc[w] = "queued" /\ IsHead(w)
    /\ \E n \in TmpNames :
         /\ Excl => vdir[n] = NoIno
         /\ IF vdir[n] = NoIno
              THEN /\ vdir' = [vdir EXCEPT ![n] = w]
                   /\ ino' = [ino EXCEPT ![w] = w]
                   /\ vdata' = [vdata EXCEPT ![w] = Empty]
              ELSE /\ ino' = [ino EXCEPT ![w] = vdir[n]]
                   /\ vdata' = [vdata EXCEPT ![vdir[n]] = Empty]
                   /\ UNCHANGED vdir
         /\ tmp' = [tmp EXCEPT ![w] = n]
    /\ pc' = [pc EXCEPT ![w] = "open"]
    /\ UNCHANGED <<ver, calls, queue, ddir, pend, ddata, dsync, acked,
                   rpc, rino, saw, crashed, after>>

\* writeAll: the first write leaves a torn file, the loop completes it.
WriteChunk(w) ==
    /\ Running /\ pc[w] = "open"
    /\ vdata' = [vdata EXCEPT ![ino[w]] = Torn(Tgt(w), ver[w])]
    /\ pc' = [pc EXCEPT ![w] = "writing"]
    /\ UNCHANGED <<ver, calls, queue, tmp, ino, vdir, ddir, pend, ddata, dsync,
                   acked, rpc, rino, saw, crashed, after>>

WriteRest(w) ==
    /\ Running /\ pc[w] = "writing"
    /\ vdata' = [vdata EXCEPT ![ino[w]] = Full(Tgt(w), ver[w])]
    /\ pc' = [pc EXCEPT ![w] = "written"]
    /\ UNCHANGED <<ver, calls, queue, tmp, ino, vdir, ddir, pend, ddata, dsync,
                   acked, rpc, rino, saw, crashed, after>>

\* fsyncFile (skipped in the broken variant FileFsync = FALSE).
FsyncFile(w) ==
    /\ Running /\ pc[w] = "written"
    /\ ddata' = IF FileFsync THEN [ddata EXCEPT ![ino[w]] = vdata[ino[w]]] ELSE ddata
    /\ pc' = [pc EXCEPT ![w] = "synced"]
    /\ UNCHANGED <<ver, calls, queue, tmp, ino, vdir, ddir, pend, vdata, dsync,
                   acked, rpc, rino, saw, crashed, after>>

\* renameIntoPlace. Without a directory fsync (broken) the caller is
\* acknowledged as soon as rename returns.
Rename(w) ==
    /\ Running /\ pc[w] = "synced"
    /\ LET n == tmp[w]  i == vdir[tmp[w]]  t == Tgt(w) IN
       IF i = NoIno
         THEN \* only reachable without O_EXCL: another writer renamed the shared name away (ENOENT)
              /\ pc' = [pc EXCEPT ![w] = "failed"]
              /\ queue' = Dequeue({w})
              /\ UNCHANGED <<vdir, pend, acked>>
         ELSE /\ vdir' = [vdir EXCEPT ![n] = NoIno, ![t] = i]
              /\ pend' = Append(pend, <<t, i>>)
              /\ IF DirFsync
                   THEN /\ pc' = [pc EXCEPT ![w] = "renamed"]
                        /\ UNCHANGED <<queue, acked>>
                   ELSE /\ pc' = [pc EXCEPT ![w] = "done"]
                        /\ acked' = [acked EXCEPT ![t] = Max(@, ver[w])]
                        /\ queue' = Dequeue({w})
    /\ UNCHANGED <<ver, calls, tmp, ino, ddir, vdata, ddata, dsync,
                   rpc, rino, saw, crashed, after>>

\* fsyncDir, shared: a round covers every caller whose rename completed
\* before the round started (and the renames logged so far).
DirFsyncStart ==
    /\ Running /\ DirFsync /\ ~dsync.on
    /\ \E w \in W : pc[w] = "renamed"
    /\ dsync' = [on |-> TRUE, upto |-> Len(pend),
                 covers |-> {w \in W : pc[w] = "renamed"}]
    /\ UNCHANGED <<pc, ver, calls, queue, tmp, ino, vdir, ddir, pend, vdata,
                   ddata, acked, rpc, rino, saw, crashed, after>>

\* The round ends: the renames it covers are durable, its callers resolve
\* and release their queue slots. LateAck (broken) also resolves callers
\* that renamed after the round started.
DirFsyncEnd ==
    /\ Running /\ dsync.on
    /\ LET done == SubSeq(pend, 1, dsync.upto)
           ackset == IF LateAck THEN {w \in W : pc[w] = "renamed"} ELSE dsync.covers
       IN /\ ddir' = [t \in Targets |->
                        IF \E k \in DOMAIN done : done[k][1] = t
                        THEN done[CHOOSE k \in DOMAIN done :
                                    done[k][1] = t /\ \A j \in DOMAIN done : done[j][1] = t => j <= k][2]
                        ELSE ddir[t]]
          /\ pend' = SubSeq(pend, dsync.upto + 1, Len(pend))
          /\ pc' = [w \in W |-> IF w \in ackset THEN "done" ELSE pc[w]]
          /\ acked' = [t \in Targets |->
                         LET vs == {ver[w] : w \in {x \in ackset : Tgt(x) = t}} IN
                         IF vs = {} THEN acked[t]
                         ELSE Max(acked[t], CHOOSE v \in vs : \A u \in vs : u <= v)]
          /\ queue' = Dequeue(ackset)
    /\ dsync' = [on |-> FALSE, upto |-> 0, covers |-> {}]
    /\ UNCHANGED <<ver, calls, tmp, ino, vdir, vdata, ddata, rpc, rino, saw,
                   crashed, after>>

\* A failure before the rename (ENOSPC, EIO, ...): unlink the temp, reject.
Fail(w) ==
    /\ Running /\ WithFailures
    /\ pc[w] \in {"open", "writing", "written", "synced"}
    /\ vdir' = IF vdir[tmp[w]] = ino[w] THEN [vdir EXCEPT ![tmp[w]] = NoIno] ELSE vdir
    /\ pc' = [pc EXCEPT ![w] = "failed"]
    /\ queue' = Dequeue({w})
    /\ UNCHANGED <<ver, calls, tmp, ino, ddir, pend, vdata, ddata, dsync, acked,
                   rpc, rino, saw, crashed, after>>

\* A concurrent reader of "A": open the name, later read the inode.
ROpen ==
    /\ Running /\ rpc = "idle"
    /\ rino' = vdir["A"] /\ rpc' = "open"
    /\ UNCHANGED <<pc, ver, calls, queue, tmp, ino, vdir, ddir, pend, vdata,
                   ddata, dsync, acked, saw, crashed, after>>

RRead ==
    /\ Running /\ rpc = "open"
    /\ saw' = vdata[rino] /\ rpc' = "idle" /\ rino' = NoIno
    /\ UNCHANGED <<pc, ver, calls, queue, tmp, ino, vdir, ddir, pend, vdata,
                   ddata, dsync, acked, crashed, after>>

\* What a crash may leave (see PERSISTENCE MODEL above).
CrashDir(t) == {ddir[t]} \cup {pend[k][2] : k \in {j \in DOMAIN pend : pend[j][1] = t}}
CrashData(i) == IF vdata[i] = ddata[i] THEN {ddata[i]} ELSE {ddata[i], vdata[i], Garbage}

Crash ==
    /\ Running
    /\ \E d \in [Targets -> Inodes] :
         /\ \A t \in Targets : d[t] \in CrashDir(t)
         /\ LET used == {d[t] : t \in Targets} IN
            \E f \in [used -> UNION {CrashData(i) : i \in used}] :
              /\ \A i \in used : f[i] \in CrashData(i)
              /\ after' = [t \in Targets |-> f[d[t]]]
    /\ crashed' = TRUE
    /\ UNCHANGED <<pc, ver, calls, queue, tmp, ino, vdir, ddir, pend, vdata,
                   ddata, dsync, acked, rpc, rino, saw>>

Next ==
    \/ \E w \in W : Call(w) \/ OpenTemp(w) \/ WriteChunk(w) \/ WriteRest(w)
                    \/ FsyncFile(w) \/ Rename(w) \/ Fail(w)
    \/ DirFsyncStart \/ DirFsyncEnd
    \/ ROpen \/ RRead
    \/ Crash

Spec == Init /\ [][Next]_vars

-----------------------------------------------------------------------------
\* INVARIANTS

TypeOK ==
    /\ pc \in [W -> {"idle", "queued", "open", "writing", "written", "synced",
                     "renamed", "done", "failed"}]
    /\ vdir \in [Names -> Inodes \cup {NoIno}]
    /\ ddir \in [Targets -> Inodes]
    /\ crashed \in BOOLEAN

\* AtomicVisibility: a reader sees the old or a complete new version of "A",
\* never a torn, empty or foreign file.
ReaderSeesComplete == IsComplete(saw, "A")

\* The same for every target name at every instant (what any reader could see).
VisibleComplete == Running => \A t \in Targets : IsComplete(vdata[vdir[t]], t)

\* After a crash each target holds a complete version (old or some new).
CrashComplete == crashed => \A t \in Targets : IsComplete(after[t], t)

\* CrashDurability: once a call was acknowledged, its version or a newer one
\* survives every crash.
AckedSurvives == crashed => \A t \in Targets : after[t].v >= acked[t]

\* Same-path callers are serialised: at most one of them past the queue.
QueueExclusion == Cardinality({w \in WA : pc[w] \in {"open", "writing", "written",
                                                        "synced", "renamed"}}) <= 1

-----------------------------------------------------------------------------
\* REACHABILITY WITNESSES. Each is the negation of a situation the model must be
\* able to reach; a *_witness_*.cfg lists one, and the runner requires TLC to
\* report it violated (so the invariants above are not vacuously true).

\* One shared directory fsync round covers renames of both targets.
WitnessSharedRound == ~(dsync.on /\ \E wa \in WA, wb \in WB : {wa, wb} \subseteq dsync.covers)

\* A crash after writes to both targets were acknowledged.
WitnessCrashAfterAcks == ~(crashed /\ acked["A"] >= 1 /\ acked["B"] >= 1)
=============================================================================
