//! Discovery: the reports a run's paths hold. One walker for every command: folders (symbolic links followed, each
//! folder and file once), zips found in folders or given (their members read in memory, never unpacked), and plain
//! files as given. Each report found knows where its bytes are ([`Source`]), how the run names it ([`Found::path`]:
//! the file, or `ARCHIVE.zip/MEMBER`), and its id below its input ([`Found::id`], which `batch` mirrors in its
//! output tree). What the walk passes over (published forms, zips without reports, folders it cannot open) is
//! counted for the end of the run ([`PassedOver`]).

use std::path::{Path, PathBuf};

use crate::import::{self, FoundZip, ImportError, ZipOfReports, is_report_name, is_zip_path, published_form};
use crate::lang::Lang;
use crate::model::Report;

/// Where a report's bytes are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    File(PathBuf),
    /// A member of a zip archive, by index.
    Member {
        archive: PathBuf,
        index: usize,
    },
}

/// A report found.
#[derive(Debug, Clone)]
pub struct Found {
    pub source: Source,
    /// How the run names it: the file as given or walked, `ARCHIVE.zip/MEMBER` for a member.
    pub path: PathBuf,
    /// Its name below its input, with the input's own name in front when the run has several (`2023/市外办.docx`):
    /// unique in the run, and what `batch` mirrors in its output tree.
    pub id: String,
    /// When its file (or archive) last changed, for telling whether outputs are up to date.
    pub modified: Option<std::time::SystemTime>,
}

impl Found {
    /// The file on disk it comes from: itself, or its archive.
    pub fn file(&self) -> &Path {
        let (Source::File(path) | Source::Member { archive: path, .. }) = &self.source;
        path
    }
}

/// What to do with the corrected copies `gongkai fix` leaves in folders (`x.fixed.xlsx`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FixedCopies {
    /// Read them like any report.
    #[default]
    Read,
    /// Leave out a copy that stands beside its original (`x.fixed.xlsx` by `x.docx`): a dataset holds each report
    /// once. A copy alone is read.
    BesideOriginal,
    /// Leave out every copy found in a folder: `fix` does not fix its outputs again. A copy named on the command
    /// line is read all the same.
    All,
}

/// How to walk.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options<'a> {
    /// Open zip archives of reports (`check`, `batch`); `fix`, which writes files, leaves them.
    pub zips: bool,
    pub fixed_copies: FixedCopies,
    /// A folder not to walk where it lies inside an input (`batch`'s output folder, so that a rerun does not read
    /// its outputs); an input that is this folder is refused.
    pub leave_out: Option<&'a Path>,
}

/// Why a run's paths cannot be walked.
#[derive(Debug, thiserror::Error)]
pub enum DiscoverError {
    #[error("{0}: no such file or folder")]
    NotFound(String),
    #[error("{0}: cannot read the input: {1}")]
    Input(String, std::io::Error),
    #[error(
        "{0}: the output folder is this input folder, so a rerun would read the outputs as reports; give -o a folder of its own (it may lie inside the input)"
    )]
    OutputIsInput(String),
}

impl DiscoverError {
    /// The error in the language of the run (`Display` stays English for programs that embed gongkai).
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (_, Lang::En) => self.to_string(),
            (DiscoverError::NotFound(path), Lang::Zh) => format!("{path}：找不到这个文件或文件夹"),
            (DiscoverError::Input(path, e), Lang::Zh) => {
                format!("{path}：无法读取输入：{}", crate::lang::io_error_in(e, lang))
            }
            (DiscoverError::OutputIsInput(path), Lang::Zh) => format!(
                "{path}：输出文件夹就是这个输入文件夹，重跑时会把输出当作年报读入；请给 -o 另设一个文件夹（可以在输入文件夹之内）"
            ),
        }
    }
}

/// What a run's paths hold.
#[derive(Debug, Default)]
pub struct Discovery {
    /// The reports, input by input; each folder's in path order, each zip's members in name order.
    pub reports: Vec<Found>,
    pub passed_over: PassedOver,
}

/// Find the reports below `paths`. An input given twice is walked once.
///
/// # Errors
/// [`DiscoverError`] when a path does not exist or cannot be read, or is the folder `leave_out` names. Every path
/// is looked at before any is walked.
///
/// # Examples
/// ```
/// use gongkai::discover::{discover, Options};
/// let found = discover(&["fixtures/xlsx".into()], &Options::default()).unwrap();
/// assert!(found.reports.iter().any(|r| r.id == "balance-broken.xlsx"));
/// ```
pub fn discover(paths: &[PathBuf], options: &Options) -> Result<Discovery, DiscoverError> {
    // Compared as canonical paths: `-o ./out` and an input `.` name the same folder in different words.
    let out = options.leave_out.and_then(|o| o.canonicalize().ok());
    let is_out = |dir: &Path| out.is_some() && dir.canonicalize().ok() == out;
    let metas = paths
        .iter()
        .map(|path| {
            std::fs::metadata(path).map_err(|e| match e.kind() {
                std::io::ErrorKind::NotFound => DiscoverError::NotFound(path.display().to_string()),
                _ => DiscoverError::Input(path.display().to_string(), e),
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let mut found = Discovery::default();
    for ((input, meta), name) in paths.iter().zip(metas).zip(input_names(paths)) {
        let Some(name) = name else { continue };
        if meta.is_dir() {
            if is_out(input) {
                return Err(DiscoverError::OutputIsInput(input.display().to_string()));
            }
            let walked = walk(input, &name, options, &is_out, &mut found.passed_over);
            found.reports.extend(walked);
        } else if options.zips && is_zip_path(input) {
            let file_name = input.file_name().map_or_else(|| name.clone(), |n| n.to_string_lossy().into_owned());
            let modified = meta.modified().ok();
            let zip = Zip { path: input, prefix: &name, id: &file_name, modified, given: true };
            found.reports.extend(zip.open(&mut found.passed_over));
        } else {
            let source = Source::File(input.clone());
            found.reports.push(Found { source, path: input.clone(), id: name, modified: meta.modified().ok() });
        }
    }
    unique_ids(&mut found.reports);
    Ok(found)
}

/// The reports below one input folder.
fn walk(
    input: &Path,
    name: &str,
    options: &Options,
    is_out: &dyn Fn(&Path) -> bool,
    passed_over: &mut PassedOver,
) -> Vec<Found> {
    let mut files = files_below(input, is_out, passed_over);
    files.sort_by(|a, b| a.path.cmp(&b.path));
    let mut found = Vec::new();
    for file in files {
        let (path, modified) = (file.path.as_path(), file.modified);
        let relative = path.strip_prefix(input).unwrap_or(path).to_string_lossy();
        let id = if name.is_empty() { relative.into_owned() } else { format!("{name}/{relative}") };
        if options.zips && is_zip_path(path) {
            // `2023.zip` beside a folder `2023` (the archive and its unpacked copy): the members keep the `.zip` in
            // their ids, so that the two never share an id or an output.
            let beside = path.with_extension("").is_dir();
            let prefix =
                if beside { id.clone() } else { Path::new(&id).with_extension("").to_string_lossy().into_owned() };
            let zip = Zip { path, prefix: &prefix, id: &id, modified, given: false };
            found.extend(zip.open(passed_over));
        } else if is_report_name(&path.to_string_lossy()) {
            found.push(Found { source: Source::File(file.path.clone()), path: file.path, id, modified });
        } else {
            passed_over.note(path);
        }
    }
    match options.fixed_copies {
        FixedCopies::Read => found,
        FixedCopies::BesideOriginal => without_copies_beside_originals(found),
        FixedCopies::All => {
            found.retain(|f| !matches!(&f.source, Source::File(path) if crate::export::fixed_copy_of(path).is_some()));
            found
        }
    }
}

/// The reports found without the corrected copies `gongkai fix` left beside their originals (`x.fixed.xlsx`
/// beside `x.docx`). A `.fixed` file alone is kept.
fn without_copies_beside_originals(found: Vec<Found>) -> Vec<Found> {
    let originals: std::collections::HashSet<(PathBuf, String)> = found
        .iter()
        .filter_map(|f| match &f.source {
            Source::File(path) => {
                Some((path.parent()?.to_path_buf(), path.file_stem()?.to_string_lossy().into_owned()))
            }
            Source::Member { .. } => None,
        })
        .collect();
    found
        .into_iter()
        .filter(|f| {
            let Source::File(path) = &f.source else { return true };
            !crate::export::fixed_copy_of(path).is_some_and(|o| {
                path.parent().is_some_and(|dir| originals.contains(&(dir.to_path_buf(), o.to_string())))
            })
        })
        .collect()
}

/// The name each input's reports go under, in their ids and in the output tree: nothing for a lone folder (its tree
/// is mirrored as it stands), else the folder's name (`batch 2022 2023 -o out` → `out/2022/…`, `out/2023/…`), a
/// zip's name without `.zip`, a file's name. Inputs that would share a name go by the path they were given instead,
/// so that no two reports share an id or an output. `None` for an input given twice: it is read once.
fn input_names(inputs: &[PathBuf]) -> Vec<Option<String>> {
    let mut seen = std::collections::HashSet::new();
    let first: Vec<bool> = inputs.iter().map(|i| seen.insert(i.canonicalize().unwrap_or_else(|_| i.clone()))).collect();
    let kept = first.iter().filter(|&&f| f).count();
    let is_zip = |input: &Path| !input.is_dir() && crate::import::is_zip_path(input);
    // The name as given (a link keeps its own name); for `.` or `..`, the folder's real name.
    let own_name = |input: &Path| {
        let real = || input.canonicalize().ok().and_then(|p| p.file_name().map(std::ffi::OsStr::to_os_string));
        let name = if is_zip(input) { input.file_stem().map(std::ffi::OsStr::to_os_string) } else { None };
        name.or_else(|| input.file_name().map(std::ffi::OsStr::to_os_string))
            .or_else(real)
            .map_or_else(|| "input".to_string(), |n| n.to_string_lossy().into_owned())
    };
    // The path as given, without `.`, `..` and the root: `a/2023`, `/srv/x.zip` → `srv/x.zip`.
    let given_path = |input: &Path| {
        let parts: Vec<String> = input
            .components()
            .filter_map(|c| match c {
                std::path::Component::Normal(part) => Some(part.to_string_lossy().into_owned()),
                _ => None,
            })
            .collect();
        if parts.is_empty() { own_name(input) } else { parts.join("/") }
    };
    let mut names: Vec<String> =
        inputs.iter().map(|input| if kept == 1 && input.is_dir() { String::new() } else { own_name(input) }).collect();
    let shared =
        |names: &[String], i: usize| (0..names.len()).any(|j| j != i && first[j] && first[i] && names[j] == names[i]);
    let clashing: Vec<usize> = (0..inputs.len()).filter(|&i| shared(&names, i)).collect();
    for &i in &clashing {
        names[i] = given_path(&inputs[i]);
    }
    // Still the same (`../a` and `a`): numbered.
    for i in 0..inputs.len() {
        if shared(&names, i) {
            names[i] = format!("{}-{}", names[i], i + 1);
        }
    }
    names.into_iter().zip(first).map(|(name, first)| first.then_some(name)).collect()
}

/// An id as a relative path without `.`, `..` or empty parts (a zip member named `../a.docx` stays under its
/// archive's name), compared as a file system that ignores case would (Windows, macOS).
fn output_key(id: &str) -> String {
    id.split(['/', '\\'])
        .filter(|p| !p.is_empty() && *p != "." && *p != "..")
        .collect::<Vec<_>>()
        .join("/")
        .to_lowercase()
}

/// Make every id of the run its own output: a zip holding `../a.docx` and `a.docx`, or `A.docx` and `a.docx`, would
/// otherwise write both reports to one output, the second over the first. The later of two becomes `a~2.docx`.
fn unique_ids(found: &mut [Found]) {
    let mut taken = std::collections::HashSet::new();
    for f in found.iter_mut() {
        if taken.insert(output_key(&f.id)) {
            continue;
        }
        let (stem, ext) = match f.id.rsplit_once('.') {
            Some((stem, ext)) if !ext.contains(['/', '\\']) => (stem.to_string(), format!(".{ext}")),
            _ => (f.id.clone(), String::new()),
        };
        if let Some(id) = (2..).map(|n| format!("{stem}~{n}{ext}")).find(|id| !taken.contains(&output_key(id))) {
            taken.insert(output_key(&id));
            f.id = id;
        }
    }
}

/// A zip met on the way, or given.
struct Zip<'a> {
    path: &'a Path,
    /// What its members' ids start with.
    prefix: &'a str,
    /// Its own id, when it is read as one file.
    id: &'a str,
    modified: Option<std::time::SystemTime>,
    /// Named on the command line (not found in a folder).
    given: bool,
}

impl Zip<'_> {
    /// Its reports, as members `PREFIX/member` in name order. A zip that cannot be opened, or is one document, is
    /// one report (the zip itself), which is then read as a file and says what it is: one bad archive does not stop
    /// the others. So is a zip without reports that was given; one found in a folder is passed over and counted.
    fn open(self, passed_over: &mut PassedOver) -> Vec<Found> {
        let as_file = || Found {
            source: Source::File(self.path.to_path_buf()),
            path: self.path.to_path_buf(),
            id: self.id.to_string(),
            modified: self.modified,
        };
        let zip = match ZipOfReports::probe(self.path) {
            FoundZip::Reports(zip) => zip,
            FoundZip::NoReports(names) if !self.given => {
                passed_over.note_zip_without_reports(self.path, &names);
                return Vec::new();
            }
            FoundZip::NoReports(_) | FoundZip::File => return vec![as_file()],
        };
        zip.names().iter().for_each(|n| passed_over.note(Path::new(n)));
        zip.members()
            .into_iter()
            .map(|(index, name)| Found {
                path: self.path.join(&name),
                id: format!("{}/{name}", self.prefix),
                modified: self.modified,
                source: Source::Member { archive: self.path.to_path_buf(), index },
            })
            .collect()
    }
}

/// Reads found reports: files, and zip members through the archive last opened (members come in order, so each
/// archive is opened once). One per thread.
#[derive(Default)]
pub struct Reader {
    open: Option<ZipOfReports>,
}

impl Reader {
    /// The bytes of a report found; `name` is what errors call it.
    ///
    /// # Errors
    /// [`ImportError`] when the file or member cannot be read, or is over the size limit.
    pub fn bytes(&mut self, found: &Found, name: &str) -> Result<Vec<u8>, ImportError> {
        match &found.source {
            Source::File(path) => import::read_bounded(path, name),
            Source::Member { archive, index } => match self.archive(archive) {
                Some(zip) => zip.bytes(*index, name),
                None => Err(ImportError::Corrupt {
                    path: name.to_string(),
                    detail: format!("{}: the archive cannot be opened any more", archive.display()),
                }),
            },
        }
    }

    /// Read a report found into the model.
    ///
    /// # Errors
    /// As [`import::read`].
    pub fn read(&mut self, found: &Found) -> Result<Report, ImportError> {
        match &found.source {
            Source::File(path) => import::read(path),
            Source::Member { archive, index } => match self.archive(archive) {
                Some(zip) => zip.read(*index),
                // The archive changed since it was listed: read it as a file, which says what is wrong with it now.
                None => import::read(archive),
            },
        }
    }

    fn archive(&mut self, path: &Path) -> Option<&mut ZipOfReports> {
        if self.open.as_ref().is_none_or(|a| a.path() != path) {
            self.open = ZipOfReports::open(path);
        }
        self.open.as_mut()
    }
}

/// What a folder walk passed over: the files in published forms, counted by form, and the zips that hold no
/// report, so that a run over a folder of PDFs says why it read nothing instead of reporting "0 files" in silence.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct PassedOver {
    forms: std::collections::BTreeMap<&'static str, usize>,
    /// Zips found in folders that hold no report and no published form either (photos, attachments).
    zips: Vec<String>,
    /// Folders and files a walk could not open, with why (`2023/机密: Permission denied (os error 13)`).
    unopened: Vec<String>,
    /// Links to files or folders the walk reads by another path: not followed again.
    reached_again: usize,
}

impl PassedOver {
    /// Count `path` when it is in a published form.
    pub fn note(&mut self, path: &Path) {
        if let Some(form) = published_form(&path.to_string_lossy()) {
            *self.forms.entry(form).or_default() += 1;
        }
    }

    /// Count a zip found in a folder that holds no report: its PDF and OFD members as such, else the zip itself.
    pub fn note_zip_without_reports(&mut self, zip: &Path, member_names: &[String]) {
        let before = self.total();
        member_names.iter().for_each(|n| self.note(Path::new(n)));
        if self.total() == before {
            self.zips.push(zip.display().to_string());
        }
    }

    /// Note a folder or file a walk could not open.
    pub fn note_unopened(&mut self, path: &Path, why: &str) {
        self.unopened.push(format!("{}: {why}", path.display()));
    }

    /// How many files were passed over.
    pub fn total(&self) -> usize {
        self.forms.values().sum::<usize>() + self.zips.len() + self.unopened.len() + self.reached_again
    }

    /// The lines for the end of a run: the published forms, the zips without reports, what could not be opened.
    pub fn lines(&self, lang: Lang) -> Vec<String> {
        let mut lines: Vec<String> = self.forms_line(lang).into_iter().collect();
        let first_three = |names: &[String], separator: &str| {
            let mut shown = names.iter().take(3).cloned().collect::<Vec<_>>().join(separator);
            if names.len() > 3 {
                shown.push_str(separator);
                shown.push('…');
            }
            shown
        };
        if !self.zips.is_empty() {
            let shown = first_three(&self.zips, ", ");
            let n = self.zips.len();
            lines.push(match lang {
                Lang::Zh => format!("另有 {n} 个压缩包中没有年报文件，未读：{shown}"),
                Lang::En => {
                    format!("{n} more {} without report files, not read: {shown}", if n == 1 { "zip" } else { "zips" })
                }
            });
        }
        if self.reached_again > 0 {
            let n = self.reached_again;
            lines.push(match lang {
                Lang::Zh => format!("另有 {n} 个链接指向已读的文件或文件夹，未重复读取"),
                Lang::En => format!(
                    "{n} more {} to files or folders read by another path, not read twice",
                    if n == 1 { "link" } else { "links" }
                ),
            });
        }
        if !self.unopened.is_empty() {
            let shown = first_three(&self.unopened, "; ");
            let n = self.unopened.len();
            lines.push(match lang {
                Lang::Zh => format!("另有 {n} 个文件夹或文件无法打开，未读（请检查权限和链接）：{shown}"),
                Lang::En => format!(
                    "{n} more {} could not be opened, not read (check permissions and links): {shown}",
                    if n == 1 { "folder or file" } else { "folders or files" }
                ),
            });
        }
        lines
    }

    fn forms_line(&self, lang: Lang) -> Option<String> {
        let total: usize = self.forms.values().sum();
        if total == 0 {
            return None;
        }
        let forms: Vec<&str> = self.forms.keys().copied().collect();
        Some(match lang {
            Lang::Zh => {
                let counts: Vec<String> = self.forms.iter().map(|(form, n)| format!("{form} {n} 个")).collect();
                let why = import::source_not("", &forms.join(" 或 ")).zh;
                format!("另有 {total} 个文件未读（{}）：{why}", counts.join("，"))
            }
            Lang::En => {
                let counts: Vec<String> = self.forms.iter().map(|(form, n)| format!("{form} {n}")).collect();
                let why = import::source_not(&forms.join(" or "), "").en;
                format!(
                    "{total} more {} not read ({}): {why}",
                    if total == 1 { "file" } else { "files" },
                    counts.join(", ")
                )
            }
        })
    }
}

/// A file found below a folder.
pub struct FoundFile {
    pub path: PathBuf,
    pub modified: Option<std::time::SystemTime>,
}

/// The files below `dir`, names sorted in each folder, leaving out the folders `leave_out` names. Symbolic links
/// are followed, as archives are often arranged with them (a view by year over folders by agency): a folder is
/// walked once, by its own path if it is in the tree, and a file reached more than once is given once, by its own
/// path if the walk met it there, else where it met it first; the links passed over are counted in `passed_over`.
/// A link to nothing is given as a file when its name is a report's or a zip's, so that the run reads it and says
/// why it cannot; another entry the walk cannot open (a folder without permission) is noted in `passed_over`.
pub fn files_below(dir: &Path, leave_out: impl Fn(&Path) -> bool, passed_over: &mut PassedOver) -> Vec<FoundFile> {
    let base = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    let mut linked_folders_walked = std::collections::HashSet::new();
    let folder_links_passed = std::cell::Cell::new(0);
    let walk = walkdir::WalkDir::new(dir).follow_links(true).sort_by_file_name().into_iter().filter_entry(|e| {
        if e.depth() == 0 || !e.file_type().is_dir() {
            return true;
        }
        if leave_out(e.path()) {
            return false;
        }
        if !e.path_is_symlink() {
            return true;
        }
        // A link to a folder inside the tree adds nothing: the walk reaches that folder by its own path. A folder
        // outside is walked once however many links lead to it: links can make exponentially many paths.
        let walk_it = std::fs::canonicalize(e.path())
            .map_or(true, |target| !target.starts_with(&base) && linked_folders_walked.insert(target));
        if !walk_it {
            folder_links_passed.set(folder_links_passed.get() + 1);
        }
        walk_it
    });
    let mut files = Vec::new();
    let mut through_links = false;
    for entry in walk {
        if let Ok(entry) = &entry {
            through_links |= entry.path_is_symlink();
        }
        match entry {
            Ok(entry) if entry.file_type().is_file() => {
                let modified = entry.metadata().ok().and_then(|m| m.modified().ok());
                files.push(FoundFile { path: entry.into_path(), modified });
            }
            Ok(_) => {}
            // A link back to a folder the walk is in.
            Err(e) if e.loop_ancestor().is_some() => passed_over.reached_again += 1,
            Err(e) => {
                let Some(path) = e.path() else { continue };
                let name = path.to_string_lossy();
                if is_report_name(&name) || is_zip_path(path) {
                    files.push(FoundFile { path: path.to_path_buf(), modified: None });
                } else {
                    let why = e.io_error().map_or_else(|| e.to_string(), ToString::to_string);
                    passed_over.note_unopened(path, &why);
                }
            }
        }
    }
    passed_over.reached_again += folder_links_passed.get();
    // Only a walk that went through a link can meet a file twice; the others are spared a path lookup per file.
    if through_links {
        // Each path with the file behind it, and whether it is that file's own path (not through a link).
        let real: Vec<Option<(PathBuf, bool)>> = files
            .iter()
            .map(|file| {
                let real = std::fs::canonicalize(&file.path).ok()?;
                let own = file.path.strip_prefix(dir).is_ok_and(|relative| base.join(relative) == real);
                Some((real, own))
            })
            .collect();
        let read_by_own_path: std::collections::HashSet<&PathBuf> =
            real.iter().flatten().filter(|(_, own)| *own).map(|(real, _)| real).collect();
        let mut read_through_a_link = std::collections::HashSet::new();
        let mut real = real.iter();
        files.retain(|_| {
            let keep = match real.next() {
                Some(Some((real, own))) => {
                    *own || (!read_by_own_path.contains(real) && read_through_a_link.insert(real.clone()))
                }
                _ => true,
            };
            passed_over.reached_again += usize::from(!keep);
            keep
        });
    }
    files
}
