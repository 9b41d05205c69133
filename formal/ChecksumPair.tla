----------------------------- MODULE ChecksumPair -----------------------------
(***************************************************************************)
(* A data file and its checksum sidecar as @safeatomic/checksum builds     *)
(* them (DESIGN.md sections 4 step 10 and 5): the sidecar `<t>.sha256`     *)
(* carries the new digest AND `previous=<digest of the version it          *)
(* replaces>`, so that a crash between the two renames reads as            *)
(* "update interrupted, content intact", never as corruption.              *)
(*                                                                         *)
(* One writer (commits are serialised by the lock), repeated writes        *)
(* v1 -> v2 -> v3, up to MaxCrash crashes at any step (the machine comes   *)
(* back and the writer goes on with the next version), bit rot of the      *)
(* data file, and a verifier that may run at any instant. The data file    *)
(* starts with a sidecar or without one (never checksummed before).        *)
(*                                                                         *)
(* Step            <-> TypeScript                                          *)
(*   "wdata"       <-> core TempFile.create + write (data temp; the        *)
(*                     observer's update() hashes the chunks)              *)
(*   "fdata"       <-> core TempFile.fsyncClose                            *)
(*   "wside"       <-> checksum observer beforeRename(): sidecar temp with *)
(*                     `<new digest>  <name>`, algo=, previous=            *)
(*   "fside"       <-> fsync of the sidecar temp                           *)
(*   "rside"       <-> rename sidecar temp -> <t>.sha256                   *)
(*   "dsync"       <-> fsync of the directory                              *)
(*   "rdata"       <-> core TempFile.publish (data temp -> <t>)            *)
(*   Verify        <-> verifyChecksum(): Match if digest(data) = sidecar   *)
(*                     digest; Interrupted if = previous; else Mismatch;   *)
(*                     NoSidecar if there is none (never checksummed)      *)
(*   Crash         <-> power loss, same persistence model as               *)
(*                     CommitProtocol.tla (any subset of the renames not   *)
(*                     covered by a completed directory fsync persists;    *)
(*                     un-fsynced data may be lost, kept or torn)          *)
(*   Corrupt       <-> bit rot / an outside writer flipping data bytes     *)
(*                                                                         *)
(* Digests: the digest of version v is v; a corrupted, empty or torn file  *)
(* has a digest different from every version's (no hash collisions).      *)
(*                                                                         *)
(* Which digest goes into `previous=` (PrevRule):                          *)
(*   "verified"  the digest of the current data file IF it verifies        *)
(*               against the current sidecar (Match or Interrupted), or    *)
(*               if there is no sidecar yet; otherwise (the data file no   *)
(*               longer matches what was checksummed) no previous line.    *)
(*               This is the correct rule.                                 *)
(*   "data"      the digest of the current data file, unconditionally      *)
(*   "sidecar"   the digest line of the current sidecar                    *)
(* Broken variants: Order = "plain" (data rename first, then the sidecar   *)
(* by a plain second atomic write, no previous line), MidDirFsync = FALSE  *)
(* (no directory fsync between the sidecar rename and the data rename),    *)
(* PrevRule = "data" and PrevRule = "sidecar".                             *)
(***************************************************************************)
EXTENDS Naturals, Sequences, FiniteSets, TLC

CONSTANTS
    Order,        \* "pair" (correct) or "plain" (broken)
    MidDirFsync,  \* correct: TRUE
    PrevRule,     \* correct: "verified"
    MaxVer,       \* versions written after the initial v0
    MaxCrash,
    MaxCorrupt,
    InitialSidecar  \* does <t> start with a sidecar: "yes", "no" or "either"

Names == {"D", "S"}                     \* <t> and <t>.sha256
NoFile == <<"none", 0>>          \* what a name refers to when there is no such file
\* <<"d", 0>> is the initial data file, <<"s", 0>> its initial sidecar (if any);
\* <<"d", v>>, <<"s", v>> the temp files of the commit of version v.
Inodes == {<<k, v>> : k \in {"d", "s"}, v \in 0..MaxVer} \cup {NoFile}
NoPrev == 99
DigCorrupt == 100
DigEmpty == 101
DigGarbage == 102

Data(v) == [k |-> "data", v |-> v, prev |-> NoPrev]
Side(d, p) == [k |-> "side", v |-> d, prev |-> p]
Corrupted == [k |-> "corrupt", v |-> 0, prev |-> NoPrev]
Empty == [k |-> "empty", v |-> 0, prev |-> NoPrev]
Garbage == [k |-> "garbage", v |-> 0, prev |-> NoPrev]
Absent == [k |-> "absent", v |-> 0, prev |-> NoPrev]

Dig(c) == CASE c.k = "data" -> c.v
          []   c.k = "corrupt" -> DigCorrupt
          []   c.k = "empty" -> DigEmpty
          []   OTHER -> DigGarbage

Steps ==
    IF Order = "pair"
    THEN IF MidDirFsync
         THEN <<"wdata", "fdata", "wside", "fside", "rside", "dsync", "rdata", "dsync">>
         ELSE <<"wdata", "fdata", "wside", "fside", "rside", "rdata", "dsync">>
    ELSE <<"wdata", "fdata", "rdata", "dsync", "wside", "fside", "rside", "dsync">>

VARIABLES
    st,       \* steps of the current commit done (0 = idle)
    n,        \* version of the current (or last started) commit
    vdir, ddir, pend, vdata, ddata,   \* as in CommitProtocol.tla
    crashes, corrupts,
    justCrashed,     \* this state is the one a crash left (nothing ran since)
    corruptedEver

vars == <<st, n, vdir, ddir, pend, vdata, ddata, crashes, corrupts, justCrashed, corruptedEver>>

Init ==
    /\ st = 0 /\ n = 0
    \* The data file exists; it has a sidecar or (never checksummed yet) none.
    /\ \E hasSide \in CASE InitialSidecar = "yes" -> {TRUE}
                         []   InitialSidecar = "no" -> {FALSE}
                         []   OTHER -> BOOLEAN :
         vdir = [x \in Names |-> IF x = "D" THEN <<"d", 0>>
                                 ELSE IF hasSide THEN <<"s", 0>> ELSE NoFile]
    /\ ddir = vdir
    /\ pend = <<>>
    /\ vdata = [i \in Inodes |-> IF i = <<"d", 0>> THEN Data(0)
                                 ELSE IF i = <<"s", 0>> THEN Side(0, NoPrev)
                                 ELSE IF i = NoFile THEN Absent ELSE Empty]
    /\ ddata = vdata
    /\ crashes = 0 /\ corrupts = 0
    /\ justCrashed = FALSE /\ corruptedEver = FALSE

DI == <<"d", n>>     \* this commit's data temp inode
SI == <<"s", n>>     \* this commit's sidecar temp inode
DataNow == vdata[vdir["D"]]   \* what <t> holds now
SideNow == vdata[vdir["S"]]   \* what <t>.sha256 holds now

\* The previous= digest, computed under the lock from the files in place.
PrevDigest ==
    LET cur == vdata[vdir["D"]]  sc == vdata[vdir["S"]] IN
    CASE Order = "plain" -> NoPrev
    []   PrevRule = "data" -> Dig(cur)
    []   PrevRule = "sidecar" -> IF sc.k = "side" THEN sc.v ELSE NoPrev
    []   OTHER -> IF sc.k = "absent" THEN Dig(cur)   \* never checksummed: nothing to verify against
                  ELSE IF sc.k = "side" /\ (Dig(cur) = sc.v \/ (sc.prev /= NoPrev /\ Dig(cur) = sc.prev))
                  THEN Dig(cur) ELSE NoPrev

\* Last pending rename onto each name wins.
Apply(d, log) ==
    [x \in Names |-> IF \E k \in DOMAIN log : log[k][1] = x
                     THEN log[CHOOSE k \in DOMAIN log :
                                 log[k][1] = x /\ \A j \in DOMAIN log : log[j][1] = x => j <= k][2]
                     ELSE d[x]]

DoStep(s) ==
    CASE s = "wdata" -> /\ vdata' = [vdata EXCEPT ![DI] = Data(n)]
                        /\ UNCHANGED <<vdir, ddir, pend, ddata>>
    []   s = "fdata" -> /\ ddata' = [ddata EXCEPT ![DI] = vdata[DI]]
                        /\ UNCHANGED <<vdir, ddir, pend, vdata>>
    []   s = "wside" -> /\ vdata' = [vdata EXCEPT ![SI] = Side(n, PrevDigest)]
                        /\ UNCHANGED <<vdir, ddir, pend, ddata>>
    []   s = "fside" -> /\ ddata' = [ddata EXCEPT ![SI] = vdata[SI]]
                        /\ UNCHANGED <<vdir, ddir, pend, vdata>>
    []   s = "rside" -> /\ vdir' = [vdir EXCEPT !["S"] = SI]
                        /\ pend' = Append(pend, <<"S", SI>>)
                        /\ UNCHANGED <<ddir, vdata, ddata>>
    []   s = "rdata" -> /\ vdir' = [vdir EXCEPT !["D"] = DI]
                        /\ pend' = Append(pend, <<"D", DI>>)
                        /\ UNCHANGED <<ddir, vdata, ddata>>
    []   s = "dsync" -> /\ ddir' = Apply(ddir, pend)
                        /\ pend' = <<>>
                        /\ UNCHANGED <<vdir, vdata, ddata>>

\* Start the next version's commit.
Begin ==
    /\ st = 0 /\ n < MaxVer
    /\ n' = n + 1 /\ st' = 1
    /\ vdata' = [vdata EXCEPT ![<<"d", n + 1>>] = Data(n + 1)]   \* step "wdata"
    /\ justCrashed' = FALSE
    /\ UNCHANGED <<vdir, ddir, pend, ddata, crashes, corrupts, corruptedEver>>

\* The next step of the commit in progress; the last one makes it idle.
Step ==
    /\ st > 0
    /\ DoStep(Steps[st + 1])
    /\ st' = IF st + 1 = Len(Steps) THEN 0 ELSE st + 1
    /\ justCrashed' = FALSE
    /\ UNCHANGED <<n, crashes, corrupts, corruptedEver>>

CrashDir(x) == {ddir[x]} \cup {pend[k][2] : k \in {j \in DOMAIN pend : pend[j][1] = x}}
CrashData(i) == IF vdata[i] = ddata[i] THEN {ddata[i]} ELSE {ddata[i], vdata[i], Garbage}

\* Power loss; on reboot the writer abandons the commit in progress.
Crash ==
    /\ crashes < MaxCrash
    /\ \E d \in [Names -> Inodes] :
         /\ \A x \in Names : d[x] \in CrashDir(x)
         /\ LET used == {d[x] : x \in Names} IN
            \E f \in [used -> UNION {CrashData(i) : i \in used}] :
              /\ \A i \in used : f[i] \in CrashData(i)
              /\ vdata' = [i \in Inodes |-> IF i \in used THEN f[i] ELSE ddata[i]]
              /\ ddata' = [i \in Inodes |-> IF i \in used THEN f[i] ELSE ddata[i]]
         /\ vdir' = d /\ ddir' = d
    /\ pend' = <<>>
    /\ st' = 0
    /\ crashes' = crashes + 1
    /\ justCrashed' = TRUE
    /\ UNCHANGED <<n, corrupts, corruptedEver>>

\* Bit rot in the data file currently named <t>, once a sidecar is durably on
\* disk. (A change made while no sidecar is durable cannot be detected by any
\* protocol: after a crash there is no record of what the data was.)
Corrupt ==
    /\ corrupts < MaxCorrupt
    /\ ddir["S"] /= NoFile
    /\ vdata' = [vdata EXCEPT ![vdir["D"]] = Corrupted]
    /\ ddata' = [ddata EXCEPT ![vdir["D"]] = Corrupted]
    /\ corrupts' = corrupts + 1 /\ corruptedEver' = TRUE
    /\ justCrashed' = FALSE
    /\ UNCHANGED <<st, n, vdir, ddir, pend, crashes>>

Next == Begin \/ Step \/ Crash \/ Corrupt

Spec == Init /\ [][Next]_vars

-----------------------------------------------------------------------------
\* verifyChecksum on the files the names hold now (an atomic snapshot of
\* both names, e.g. taken under the lock).
Verify ==
    IF SideNow.k = "absent" THEN "NoSidecar"
    ELSE IF SideNow.k /= "side" THEN "Mismatch"
    ELSE IF Dig(DataNow) = SideNow.v THEN "Match"
    ELSE IF SideNow.prev /= NoPrev /\ Dig(DataNow) = SideNow.prev THEN "Interrupted"
    ELSE "Mismatch"

TypeOK ==
    /\ st \in 0..Len(Steps) /\ n \in 0..MaxVer
    /\ vdir \in [Names -> Inodes] /\ ddir \in [Names -> Inodes]

\* With no corruption, every state a crash leaves verifies as Match or
\* Interrupted, never Mismatch (the brief's statement).
AfterCrashNoFalseAlarm == (justCrashed /\ ~corruptedEver) => Verify /= "Mismatch"

\* Stronger: whenever <t> holds an intact version (at any instant, after
\* any crash, even after an earlier corruption), verify does not say Mismatch.
NoFalseAlarm == DataNow.k = "data" => Verify /= "Mismatch"

\* IntegrityDetection: a corrupted data file is never Match or Interrupted.
CorruptionDetected == DataNow.k = "corrupt" => Verify \notin {"Match", "Interrupted"}

\* A crash never leaves a torn or empty data file or sidecar.
CrashLeavesWholeFiles == justCrashed => DataNow.k \in {"data", "corrupt"} /\ SideNow.k \in {"side", "absent"}

-----------------------------------------------------------------------------
\* REACHABILITY WITNESSES. Each is the negation of a situation the model must be
\* able to reach; a *_witness_*.cfg lists one, and the runner requires TLC to
\* report it violated (so the invariants above are not vacuously true).

\* A crash leaves "update interrupted, content intact".
WitnessInterruptedAfterCrash == ~(justCrashed /\ Verify = "Interrupted")

\* A crash after bit rot: the corrupted file is reported as Mismatch.
WitnessCorruptAfterCrash == ~(justCrashed /\ DataNow.k = "corrupt")
=============================================================================
