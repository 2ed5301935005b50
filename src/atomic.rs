//! Writing a file atomically: through a temporary file in the same folder and a rename, so that a reader (or a
//! killed run) sees either the old file or the new one, never half a file. A leaf: callers wrap its `io::Error` in
//! their own error, naming the file.

use std::io::Write;
use std::path::Path;

/// Write `bytes` to `path` atomically, flushed to disk before the rename.
///
/// # Errors
/// When the folder is missing or not writable, or the disk is full.
pub fn write(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_through_rename(path, bytes, true, true)
}

/// As [`write`], without flushing the file to disk: for outputs that can be made again (a `batch` run's thousands,
/// where a flush per file would dominate; a rerun redoes an output a power cut left empty). `may_exist`
/// false says the caller has just seen there is no file at `path`, saving a removal that would fail.
///
/// # Errors
/// When the folder is missing or not writable, or the disk is full.
pub fn write_unflushed(path: &Path, bytes: &[u8], may_exist: bool) -> std::io::Result<()> {
    write_through_rename(path, bytes, false, may_exist)
}

fn write_through_rename(path: &Path, bytes: &[u8], flush: bool, may_exist: bool) -> std::io::Result<()> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let mut builder = tempfile::Builder::new();
    builder.prefix(".gongkai-").suffix(".tmp");
    // A temporary file is private (0600); the output is an ordinary document.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o644));
    }
    let mut tmp = builder.tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    if flush {
        tmp.as_file().sync_all()?;
    } else if may_exist {
        // Renaming over an existing file makes ext4 (auto_da_alloc) write the new file out at once and wait for it.
        // Unflushed outputs can be made again, so the old one goes first; the output is still never seen
        // half-written.
        match std::fs::remove_file(path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
            _ => {}
        }
    }
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_write_replaces_the_file_whole_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.json");
        super::write(&path, b"first").unwrap();
        super::write_unflushed(&path, b"second", true).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"second");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
        assert!(super::write(&dir.path().join("missing/out.json"), b"x").is_err());
    }
}
