#!/usr/bin/python3
"""The patch series: one definition, three uses.

patches/series lists the patches in order.  Each entry names a file in
patches/ that holds the commit message and the diffs of the files that
already exist when the patch is applied (QEMU's own files, and new files
that a patch creates as a diff and later patches extend).  Indented
"+ PATH" lines under an entry name the new files that the patch adds
whole: they live in this repository at their QEMU path (hw/, include/,
stubs/, tests/qtest/, tests/unit/, docs/) and no diff may touch them.
So every line of the series has exactly one source.

Per-base variants: the series is written against the primary base.  For
another QEMU release X.Y, patches/qemu-X.Y/NAME (same NAME as the
primary patch) holds only the diffs that differ there; each replaces the
primary patch's diff of the same file.  A line "# not on this base: PATH"
before the diffs drops the primary patch's diff of PATH there (a file
that the other base does not have, such as one renamed since).

Topics: patches/TOPIC/ (listed in TOPICS) holds a series of its own that
is not part of the sPAPR EEH series but is carried with it, for example a
change to another machine model that the tests need.  Its "series" file
lists its patches in order; a topic patch carries all of its changes as
diffs (new files included) and has no per-base variants.  It is laid over
the tree after the main series, on the primary base only, and exported
on its own (--topic=TOPIC).

Commands:
  series.py check                      validate the definition
  series.py prepare PRISTINE TREE      lay the series onto a copy of
                                       PRISTINE, rewriting only changed files
  series.py export PRISTINE OUTDIR     git format-patch series with a cover
                                       letter, signed off by IDENTITY
  series.py files                      list the new files and their patches
  series.py topics [--base=X.Y]        the topics kept on that base
Options: --limit=N (first N patches), --identity="Name <email>",
--topic=TOPIC (export, count, names: the topic's series instead).
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PATCHES = os.path.join(TOP, "patches")
OVERLAY_DIRS = ["hw", "include", "stubs", "tests/qtest", "tests/unit", "docs"]
PRIMARY_BASE = "10.2"
TOPICS = ["powernv"]
SERIES_HEADER = """\
# The patch series, in order.  Each patch file holds the commit message
# and the diffs of files that exist before it; the "+ PATH" lines under
# it are the new files it adds whole, from this repository's QEMU-shaped
# tree.  The series is written against QEMU %s; patches/qemu-X.Y/ holds
# the diffs that differ on QEMU X.Y.  See scripts/series.py.
""" % PRIMARY_BASE


class SeriesError(Exception):
    pass


class Patch:
    def __init__(self, index, name):
        self.index = index
        self.name = name
        self.new_files = []
        self.subject = ""
        self.body = ""
        self.diffs = []         # [(path, text)] in file order

    def message(self):
        return self.subject + "\n\n" + self.body.strip("\n") + "\n"


def split_diffs(text, origin):
    """[(path, diff text)] of every 'diff --git' block in @text."""
    out = []
    blocks = re.split(r"^(?=diff --git )", text, flags=re.M)
    for b in blocks:
        if not b.startswith("diff --git "):
            if b.strip() and not all(l.startswith("#") or not l.strip()
                                     for l in b.splitlines()):
                if out:
                    raise SeriesError("%s: text outside a diff" % origin)
            continue
        # Cut a format-patch trailer ("-- " then the git version)
        b = re.sub(r"^-- \n.*\Z", "", b, flags=re.M | re.S)
        m = re.match(r"diff --git a/(\S+) b/(\S+)", b)
        if not m:
            raise SeriesError("%s: cannot parse '%s'" %
                              (origin, b.splitlines()[0]))
        out.append((m.group(2), b))
    return out


def split_hunks(diff):
    """(header, [hunks]) of one file's diff; a hunk starts with '@@'."""
    parts = re.split(r"^(?=@@ )", diff, flags=re.M)
    return parts[0], parts[1:]


def hunk_marker(hunk):
    m = re.match(r"^@@ [^@]*@@ \[hunk (\d+)\]", hunk)
    return int(m.group(1)) if m else None


def override_diff(primary, variant):
    """The primary diff of a file with the variant's hunks put in."""
    vhead, vhunks = split_hunks(variant)
    marks = [hunk_marker(h) for h in vhunks]
    if not vhunks or None in marks:
        return variant              # a whole diff of the file
    head, hunks = split_hunks(primary)
    for n, h in zip(marks, vhunks):
        if n < 1 or n > len(hunks):
            raise SeriesError("variant names hunk %d of %d" % (n, len(hunks)))
        hunks[n - 1] = h
    return head + "".join(hunks)


def parse_patch(p, path):
    with open(path) as f:
        text = f.read()
    head, sep, rest = text.partition("\n---\n")
    if not sep:
        raise SeriesError("%s: no '---' line after the message" % path)
    lines = head.split("\n")
    i = 0
    subject = []
    while i < len(lines) and lines[i].strip():
        l = lines[i]
        if l.startswith("Subject:"):
            subject.append(re.sub(r"^Subject:\s*(\[[^]]*\]\s*)?", "", l))
            while i + 1 < len(lines) and lines[i + 1].startswith(" "):
                i += 1
                subject.append(lines[i].strip())
        elif re.match(r"^(From |From:|Date:|Signed-off-by:)", l):
            raise SeriesError("%s: remove '%s'; make series adds authorship"
                              % (path, l.split(":")[0]))
        i += 1
    if not subject:
        raise SeriesError("%s: no Subject: header" % path)
    p.subject = " ".join(subject)
    p.body = "\n".join(lines[i + 1:])
    if re.search(r"^Signed-off-by:", p.body, re.M):
        raise SeriesError("%s: the repository's patches carry no "
                          "Signed-off-by; make series adds it" % path)
    p.diffs = split_diffs(rest, path)


def base_of(pristine):
    with open(os.path.join(pristine, "VERSION")) as f:
        v = f.read().strip()
    m = re.match(r"^(\d+)\.(\d+)", v)
    if not m:
        raise SeriesError("%s/VERSION: unexpected '%s'" % (pristine, v))
    return "%s.%s" % (m.group(1), m.group(2)), v


def load_topic(topic):
    """The patches of the topic @topic (patches/@topic/series)."""
    tdir = os.path.join(PATCHES, topic)
    series = os.path.join(tdir, "series")
    patches = []
    if not os.path.isfile(series):
        return patches
    with open(series) as f:
        for n, line in enumerate(f, 1):
            raw = line.strip()
            if not raw or raw.startswith("#"):
                continue
            if not re.match(r"^[\w.-]+\.patch$", raw):
                raise SeriesError("%s/series:%d: cannot parse '%s' (a topic "
                                  "lists patch files only)" % (topic, n, raw))
            p = Patch(len(patches) + 1, os.path.join(topic, raw))
            path = os.path.join(PATCHES, p.name)
            if not os.path.isfile(path):
                raise SeriesError("patches/%s/series names %s, which does not "
                                  "exist" % (topic, raw))
            parse_patch(p, path)
            patches.append(p)
    return patches


def topics_of(base):
    """The topics kept on QEMU @base (X.Y; None: the primary one)."""
    return TOPICS if not base or base == PRIMARY_BASE else []


def load_topics(base):
    """Every topic's patches, in TOPICS order, for @base."""
    return [p for t in topics_of(base) for p in load_topic(t)]


def load(base=None, topic=None):
    """The series for @base (None: the primary one), or @topic's."""
    if topic:
        if topic not in TOPICS:
            raise SeriesError("unknown topic '%s' (known: %s)"
                              % (topic, " ".join(TOPICS)))
        return load_topic(topic)
    series = os.path.join(PATCHES, "series")
    patches = []
    with open(series) as f:
        for n, line in enumerate(f, 1):
            raw = line.rstrip("\n")
            if not raw.strip() or raw.lstrip().startswith("#"):
                continue
            m = re.match(r"^\s+\+\s+(\S+)\s*$", raw)
            if m:
                if not patches:
                    raise SeriesError("series:%d: file before any patch" % n)
                patches[-1].new_files.append(m.group(1))
                continue
            if raw[0].isspace():
                raise SeriesError("series:%d: cannot parse '%s'" % (n, raw))
            patches.append(Patch(len(patches) + 1, raw.strip()))
    for p in patches:
        path = os.path.join(PATCHES, p.name)
        if not os.path.isfile(path):
            raise SeriesError("patches/series names %s, which does not exist"
                              % p.name)
        parse_patch(p, path)
        if base and base != PRIMARY_BASE:
            vpath = os.path.join(PATCHES, "qemu-" + base, p.name)
            if os.path.isfile(vpath):
                with open(vpath) as f:
                    vtext = f.read()
                override = dict(split_diffs(vtext, vpath))
                drop = set(re.findall(r"^# not on this base: (\S+)$", vtext,
                                      flags=re.M))
                seen = set()
                diffs = []
                for fp, d in p.diffs:
                    seen.add(fp)
                    if fp in drop:
                        continue
                    diffs.append((fp, override_diff(d, override[fp])
                                  if fp in override else d))
                for fp, d in override.items():
                    if fp not in seen:
                        diffs.append((fp, d))
                p.diffs = diffs
    if base and base != PRIMARY_BASE:
        vdir = os.path.join(PATCHES, "qemu-" + base)
        names = {p.name for p in patches}
        if os.path.isdir(vdir):
            for v in os.listdir(vdir):
                if v not in names:
                    raise SeriesError("patches/qemu-%s/%s has no patch of "
                                      "that name in patches/series"
                                      % (base, v))
    return patches


def overlay_files():
    try:
        out = subprocess.run(["git", "ls-files", "--cached", "--others",
                              "--exclude-standard", "--"] + OVERLAY_DIRS,
                             cwd=TOP, capture_output=True, text=True,
                             check=True).stdout.split()
    except (OSError, subprocess.CalledProcessError):
        out = []
        for d in OVERLAY_DIRS:
            for root, _, files in os.walk(os.path.join(TOP, d)):
                for f in files:
                    out.append(os.path.relpath(os.path.join(root, f), TOP))
    return sorted(f for f in out if os.path.isfile(os.path.join(TOP, f)))


def validate(patches, pristine=None):
    listed = {}
    for p in patches:
        for f in p.new_files:
            if f in listed:
                raise SeriesError("%s is added by both %s and %s"
                                  % (f, listed[f], p.name))
            listed[f] = p.name
            if not os.path.isfile(os.path.join(TOP, f)):
                raise SeriesError("%s (added by %s) does not exist"
                                  % (f, p.name))
            if pristine and os.path.exists(os.path.join(pristine, f)):
                raise SeriesError("%s exists in QEMU; change it with a diff"
                                  " in a patch instead" % f)
    for f in overlay_files():
        if f not in listed:
            raise SeriesError("%s is in no patch: list it as '+ %s' under "
                              "the patch that adds it in patches/series"
                              % (f, f))
    for p in patches:
        for f, _ in p.diffs:
            if f in listed:
                raise SeriesError("%s: a diff touches %s, which %s adds "
                                  "whole" % (p.name, f, listed[f]))


def run(cmd, cwd, what, env=None):
    r = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True,
                       env=env)
    if r.returncode:
        raise SeriesError("%s:\n%s%s" % (what, r.stdout, r.stderr))
    return r.stdout


def apply_patch(p, tree, version):
    """Apply @p's diffs and new files to the directory @tree."""
    if p.diffs:
        text = "".join(d for _, d in p.diffs)
        r = subprocess.run(["git", "apply", "--whitespace=nowarn", "-"],
                           input=text, cwd=tree, capture_output=True,
                           text=True)
        if r.returncode:
            raise SeriesError("patch %s does not apply to QEMU %s:\n%s"
                              % (p.name, version, r.stderr.strip()))
    for f in p.new_files:
        dst = os.path.join(tree, f)
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        shutil.copyfile(os.path.join(TOP, f), dst)


def touched(p):
    return [f for f, _ in p.diffs] + list(p.new_files)


def cmd_prepare(pristine, tree, limit):
    base, version = base_of(pristine)
    patches = load(base)
    validate(patches, pristine)
    patches = patches[:limit]
    if limit is None:
        patches += load_topics(base)
    manifest = os.path.join(tree, ".qemu-spapr-eeh-files")
    if not os.path.isdir(tree):
        print("copying pristine QEMU %s to %s" % (version, tree))
        shutil.copytree(pristine, tree, symlinks=True)
    files = sorted({f for p in patches for f in touched(p)})
    with tempfile.TemporaryDirectory() as stage:
        for f in files:
            src = os.path.join(pristine, f)
            if os.path.isfile(src):
                os.makedirs(os.path.dirname(os.path.join(stage, f)),
                            exist_ok=True)
                shutil.copyfile(src, os.path.join(stage, f))
        for p in patches:
            apply_patch(p, stage, version)
        changed = 0
        present = []
        for f in files:
            s = os.path.join(stage, f)
            if not os.path.isfile(s):
                continue            # a patch deleted it
            present.append(f)
            t = os.path.join(tree, f)
            with open(s, "rb") as a:
                new = a.read()
            try:
                with open(t, "rb") as b:
                    same = b.read() == new
            except OSError:
                same = False
            if not same:
                os.makedirs(os.path.dirname(t), exist_ok=True)
                with open(t, "wb") as b:
                    b.write(new)
                changed += 1
    old = []
    if os.path.isfile(manifest):
        with open(manifest) as m:
            old = m.read().split()
    for f in sorted(set(old) - set(present)):
        src = os.path.join(pristine, f)
        t = os.path.join(tree, f)
        if os.path.isfile(src):
            shutil.copyfile(src, t)
        elif os.path.exists(t):
            os.unlink(t)
        print("restored %s" % f)
    with open(manifest, "w") as m:
        m.write("\n".join(present) + "\n")
    if changed:
        print("prepare-tree: %d file(s) updated in %s (QEMU %s, %d patches)"
              % (changed, tree, version, len(patches)))


def git_identity(override):
    if override:
        m = re.match(r"^\s*(.+?)\s*<([^>]+)>\s*$", override)
        if not m:
            raise SeriesError("--identity must be 'Name <email>'")
        return m.group(1), m.group(2)
    name = subprocess.run(["git", "config", "user.name"], cwd=TOP,
                          capture_output=True, text=True).stdout.strip()
    email = subprocess.run(["git", "config", "user.email"], cwd=TOP,
                           capture_output=True, text=True).stdout.strip()
    if not name or not email:
        raise SeriesError(
            "make series signs off every patch with your git identity, and "
            "you have none:\n  git config user.name 'Your Name'\n"
            "  git config user.email you@example.org\n"
            "Whoever posts the series certifies the DCO for it.")
    return name, email


def cover_letter(base, version, patches, topic=None):
    with open(os.path.join(PATCHES, topic or "", "cover-letter")) as f:
        text = f.read()
    return text.replace("@BASE@", version).replace("@COUNT@",
                                                   str(len(patches)))


def export(pristine, outdir, limit=None, identity=None, topic=None):
    base, version = base_of(pristine)
    if topic and base != PRIMARY_BASE:
        raise SeriesError("the topic %s is kept on QEMU %s only"
                          % (topic, PRIMARY_BASE))
    patches = load(base, topic)
    if not topic:
        validate(patches, pristine)
    patches = patches[:limit]
    name, email = git_identity(identity)
    env = dict(os.environ, GIT_AUTHOR_NAME=name, GIT_AUTHOR_EMAIL=email,
               GIT_COMMITTER_NAME=name, GIT_COMMITTER_EMAIL=email,
               GIT_CONFIG_NOSYSTEM="1")
    if os.path.isdir(outdir):
        shutil.rmtree(outdir)
    os.makedirs(outdir)
    work = os.path.join(outdir, ".tree")
    shutil.copytree(pristine, work, symlinks=True)
    git = ["git", "-c", "user.name=" + name, "-c", "user.email=" + email,
           "-c", "commit.gpgsign=false", "-c", "core.autocrlf=false"]
    run(git + ["init", "-q"], work, "git init", env)
    run(git + ["checkout", "-q", "-b", "spapr-eeh"], work, "git checkout",
        env)
    run(git + ["add", "-A", "-f", "."], work, "git add", env)
    run(git + ["commit", "-q", "-m", "QEMU %s" % version], work,
        "git commit", env)
    run(git + ["tag", "pristine"], work, "git tag", env)
    for p in patches:
        apply_patch(p, work, version)
        run(git + ["add", "-A", "-f", "--"] + touched(p), work,
            "git add (%s)" % p.name, env)
        r = subprocess.run(git + ["commit", "-q", "-s", "-F", "-"],
                           input=p.message(), cwd=work, capture_output=True,
                           text=True, env=env)
        if r.returncode:
            raise SeriesError("git commit (%s): %s" % (p.name, r.stderr))
    cover_opt = []
    if not topic or len(patches) > 1:
        cover = cover_letter(base, version, patches, topic)
        run(git + ["config", "branch.spapr-eeh.description", cover], work,
            "git config", env)
        cover_opt = ["--cover-letter", "--cover-from-description=subject"]
    run(git + ["format-patch", "-q"] + cover_opt +
        ["--no-signature", "--subject-prefix=PATCH", "-o", outdir,
         "pristine..HEAD"],
        work, "git format-patch", env)
    shutil.rmtree(work)
    return base, version, patches


def slug(subject):
    s = re.sub(r"[^A-Za-z0-9._]+", "-", subject).strip("-.")
    return s[:64].rstrip("-.")


def git_out(gitdir, *args):
    return subprocess.run(["git", "-C", gitdir] + list(args),
                          capture_output=True, text=True,
                          check=True).stdout


def commits_of(gitdir, base):
    out = git_out(gitdir, "rev-list", "--reverse", base + "..HEAD")
    return out.split()


def commit_diffs(gitdir, commit):
    text = git_out(gitdir, "show", "--format=", "--no-color", "--no-renames",
                   commit)
    # Blob ids belong to one tree; the diffs must apply to any base
    text = re.sub(r"^index [0-9a-f]+\.\.[0-9a-f]+.*\n", "", text, flags=re.M)
    return split_diffs(text, commit)


def commit_message(gitdir, commit):
    msg = git_out(gitdir, "show", "-s", "--format=%B", commit)
    lines = [l for l in msg.rstrip().split("\n")
             if not l.startswith("Signed-off-by:")]
    while lines and not lines[-1].strip():
        lines.pop()
    return lines[0], "\n".join(lines[2:]) + "\n"


def in_overlay(path):
    return any(path == d or path.startswith(d + "/") for d in OVERLAY_DIRS)


def cmd_import(gitdir, base):
    """Write the commits base..HEAD of @gitdir as patches/ and overlay."""
    commits = commits_of(gitdir, base)
    per = [(c, commit_diffs(gitdir, c)) for c in commits]
    touched_later = {}
    for k, (c, diffs) in enumerate(per):
        for f, _ in diffs:
            touched_later.setdefault(f, []).append(k)
    entries = []
    overlay = set()
    for k, (c, diffs) in enumerate(per):
        subject, body = commit_message(gitdir, c)
        new_files, keep = [], []
        for f, d in diffs:
            whole = (re.search(r"^new file mode", d, re.M) and
                     touched_later[f] == [k] and in_overlay(f))
            if whole:
                new_files.append(f)
            else:
                keep.append((f, d))
        name = "%04d-%s.patch" % (k + 1, slug(subject))
        with open(os.path.join(PATCHES, name), "w") as out:
            out.write("Subject: %s\n\n%s---\n" % (subject, body))
            for _, d in keep:
                out.write(d)
        for f in new_files:
            data = git_out(gitdir, "show", "%s:%s" % (c, f))
            dst = os.path.join(TOP, f)
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            with open(dst, "w") as o:
                o.write(data)
            overlay.add(f)
        entries.append((name, new_files))
    # What the repository had and no longer has
    for f in overlay_files():
        if f not in overlay:
            os.unlink(os.path.join(TOP, f))
            print("removed %s" % f)
    names = {n for n, _ in entries}
    for f in os.listdir(PATCHES):
        if f.endswith(".patch") and f not in names:
            os.unlink(os.path.join(PATCHES, f))
    with open(os.path.join(PATCHES, "series"), "w") as out:
        out.write(SERIES_HEADER)
        for n, files in entries:
            out.write(n + "\n")
            for f in files:
                out.write("    + %s\n" % f)
    print("%d patches, %d new files" % (len(entries), len(overlay)))


def apply_file_diff(tree, diff):
    r = subprocess.run(["git", "apply", "--whitespace=nowarn", "-"],
                       input=diff, cwd=tree, capture_output=True, text=True)
    return r.returncode == 0


def minimal_variant(primary, theirs):
    """
    The hunks of @theirs that differ from those of @primary, marked with
    the number of the primary hunk each replaces; all of @theirs when the
    two do not pair up hunk for hunk.
    """
    head, hunks = split_hunks(primary)
    thead, thunks = split_hunks(theirs)
    if len(hunks) != len(thunks):
        return theirs
    body = lambda h: h.split("\n", 1)[1]
    out = thead
    for i, (a, b) in enumerate(zip(hunks, thunks)):
        if body(a) != body(b):
            first, rest = b.split("\n", 1)
            m = re.match(r"^(@@ [^@]*@@)", first)
            out += "%s [hunk %d]\n%s" % (m.group(1), i + 1, rest)
    if override_diff(primary, out) is None:
        return theirs
    return out


def cmd_import_variant(gitdir, base, version):
    """
    Record where the commits base..HEAD of @gitdir (the series on QEMU
    @version) differ from the primary patches: per file, the primary diff
    is kept when it applies and gives the same file.
    """
    patches = load(None)
    commits = commits_of(gitdir, base)
    if len(commits) != len(patches):
        raise SeriesError("%d commits, %d patches" % (len(commits),
                                                      len(patches)))
    vdir = os.path.join(PATCHES, "qemu-" + version)
    if os.path.isdir(vdir):
        shutil.rmtree(vdir)
    count = 0
    with tempfile.TemporaryDirectory() as tmp:
        tree = os.path.join(tmp, "tree")
        subprocess.run(["git", "-C", gitdir, "worktree", "add", "-f",
                        "--detach", tree, base], check=True,
                       capture_output=True)
        try:
            for p, c in zip(patches, commits):
                subject, _ = commit_message(gitdir, c)
                if subject != p.subject:
                    raise SeriesError("%s: '%s' is not '%s'"
                                      % (c, subject, p.subject))
                theirs = dict(commit_diffs(gitdir, c))
                for f in p.new_files:
                    data = git_out(gitdir, "show", "%s:%s" % (c, f))
                    with open(os.path.join(TOP, f)) as o:
                        if o.read() != data:
                            raise SeriesError("%s differs on %s" %
                                              (f, version))
                    theirs.pop(f, None)
                variant = []
                dropped = []
                for f, d in p.diffs:
                    if f not in theirs:
                        dropped.append("# not on this base: %s\n" % f)
                        continue
                    ok = apply_file_diff(tree, d)
                    want = git_out(gitdir, "show", "%s:%s" % (c, f)) \
                        if "deleted file mode" not in theirs[f] else None
                    got = None
                    path = os.path.join(tree, f)
                    if os.path.exists(path):
                        with open(path) as o:
                            got = o.read()
                    if not ok or got != want:
                        variant.append(minimal_variant(d, theirs[f]))
                    theirs.pop(f)
                if theirs:
                    variant += list(theirs.values())
                if dropped:
                    variant = dropped + variant
                subprocess.run(["git", "checkout", "-q", "-f", "--detach",
                                c], cwd=tree, check=True,
                               capture_output=True)
                subprocess.run(["git", "clean", "-q", "-f", "-d"], cwd=tree,
                               check=True, capture_output=True)
                if variant:
                    os.makedirs(vdir, exist_ok=True)
                    with open(os.path.join(vdir, p.name), "w") as out:
                        out.write("".join(variant))
                    count += 1
        finally:
            subprocess.run(["git", "-C", gitdir, "worktree", "remove",
                            "--force", tree], capture_output=True)
    print("%d patches have a variant for QEMU %s" % (count, version))


def main(argv):
    opts = {}
    args = []
    for a in argv[1:]:
        m = re.match(r"^--(\w[\w-]*)=(.*)$", a)
        if m:
            opts[m.group(1)] = m.group(2)
        else:
            args.append(a)
    limit = int(opts["limit"]) if "limit" in opts else None
    if not args:
        print(__doc__)
        return 2
    try:
        if args[0] == "check":
            base = opts.get("base")
            validate(load(base))
            load_topics(base)
        elif args[0] == "prepare" and len(args) == 3:
            cmd_prepare(os.path.abspath(args[1]), os.path.abspath(args[2]),
                        limit)
        elif args[0] == "export" and len(args) == 3:
            topic = opts.get("topic")
            base, version, patches = export(os.path.abspath(args[1]),
                                            os.path.abspath(args[2]), limit,
                                            opts.get("identity"), topic)
            print("%d patch%s%s for QEMU %s in %s"
                  % (len(patches), "" if len(patches) == 1 else "es",
                     "" if topic and len(patches) < 2 else
                     " and a cover letter", version, args[2]))
        elif args[0] == "import" and len(args) == 3:
            cmd_import(os.path.abspath(args[1]), args[2])
        elif args[0] == "import-variant" and len(args) == 4:
            cmd_import_variant(os.path.abspath(args[1]), args[2], args[3])
        elif args[0] == "files":
            for p in load(opts.get("base")):
                for f in p.new_files:
                    print("%s\t%s" % (f, p.name))
        elif args[0] == "topics":
            for t in topics_of(opts.get("base")):
                print(t)
        elif args[0] == "count":
            print(len(load(opts.get("base"), opts.get("topic"))))
        elif args[0] == "names":
            for p in load(opts.get("base"), opts.get("topic")):
                print(p.name)
        else:
            print(__doc__)
            return 2
    except SeriesError as e:
        print("error: %s" % e, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
