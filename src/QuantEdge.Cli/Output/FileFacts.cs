using System.Runtime.InteropServices;

namespace QuantEdge.Cli.Output;

/// <summary>What a path names once symbolic links are followed.</summary>
public enum FileKind
{
    Missing,
    Regular,
    Directory,
    CharacterDevice,
    BlockDevice,
    Fifo,
    Socket,
    Other,

    /// <summary>A symbolic link that leads back to itself, or one too many levels deep.</summary>
    LinkLoop,
}

/// <summary>
/// What a path names (following symbolic links, as opening it would) and which file it is: two paths name
/// the same file when their identities are equal, however they are spelled (relative, with "..", through
/// symbolic links, or as hard links of one another).
/// </summary>
/// <remarks>
/// On Linux the identity is the device and inode from statx(2), whose layout is the kernel's and the same on
/// every architecture. Elsewhere it is the full path with every link resolved, compared without case on
/// Windows and macOS: that catches every spelling but hard links.
/// </remarks>
public static class FileFacts
{
    public readonly record struct Facts(FileKind Kind, string? Identity);

    /// <summary>The kind and identity of the file <paramref name="path"/> names; identity null when it is missing.</summary>
    public static Facts Of(string path)
    {
        if (OperatingSystem.IsLinux() && Statx(path) is { } facts)
        {
            return facts;
        }

        if (Directory.Exists(path))
        {
            return new Facts(FileKind.Directory, PathIdentity(path));
        }

        if (IsSymbolicLink(path) && FinalTarget(path) is null)
        {
            return new Facts(FileKind.LinkLoop, null);
        }

        return File.Exists(path) ? new Facts(FileKind.Regular, PathIdentity(path)) : new Facts(FileKind.Missing, null);
    }

    /// <summary>Whether <paramref name="path"/> itself is a symbolic link (it is not followed).</summary>
    public static bool IsSymbolicLink(string path)
    {
        try
        {
            return new FileInfo(path).LinkTarget is not null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return false;
        }
    }

    /// <summary>
    /// Where a chain of symbolic links ends (a relative target is taken from the link's folder), whether or not
    /// anything is there; <paramref name="path"/> itself when it is not a link; null for a loop or an unreadable link.
    /// </summary>
    public static string? FinalTarget(string path)
    {
        string current = Path.GetFullPath(path);
        for (int hops = 0; hops < 40; hops++)
        {
            string? target;
            try
            {
                target = new FileInfo(current).LinkTarget;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return null;
            }

            if (target is null)
            {
                return current;
            }

            current = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(current) ?? current, target));
        }

        return null;
    }

    /// <summary>The names compare without case where the usual file systems do.</summary>
    public static StringComparison NameComparison =>
        OperatingSystem.IsWindows() || OperatingSystem.IsMacOS() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;

    private static string PathIdentity(string path)
    {
        // A loop or an unreadable link: the path itself is as good an identity as there is.
        string full = Path.TrimEndingDirectorySeparator(FinalTarget(path) ?? Path.GetFullPath(path));
        return "path:" + (NameComparison == StringComparison.Ordinal ? full : full.ToUpperInvariant());
    }

    // statx(2): struct statx is 256 bytes; stx_mode is a u16 at 28, stx_ino a u64 at 32, stx_dev_major and
    // stx_dev_minor u32 at 136 and 140 (include/uapi/linux/stat.h).
    private const int AtFdCwd = -100, StatxType = 0x1, StatxIno = 0x100, StatxBufferBytes = 256;
    private const int ENOENT = 2, ENOTDIR = 20, ENOSYS = 38, ELOOP = 40;

    [DllImport("libc", SetLastError = true, EntryPoint = "statx")]
    private static extern int StatxCall(int dirfd, byte[] path, int flags, uint mask, byte[] buffer);

    private static bool statxMissing;

    private static Facts? Statx(string path)
    {
        if (statxMissing)
        {
            return null;
        }

        byte[] buffer = new byte[StatxBufferBytes];
        byte[] name = [.. System.Text.Encoding.UTF8.GetBytes(path), 0];
        int result;
        try
        {
            result = StatxCall(AtFdCwd, name, 0, StatxType | StatxIno, buffer);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            statxMissing = true;
            return null;
        }

        if (result != 0)
        {
            int error = Marshal.GetLastPInvokeError();
            if (error == ENOSYS)
            {
                statxMissing = true;
                return null;
            }

            // Missing, or a parent that is not a folder: nothing is there. Any other error (no permission to
            // look) is left to the .NET calls that follow, which report it in words.
            return error switch
            {
                ENOENT or ENOTDIR => new Facts(FileKind.Missing, null),
                ELOOP => new Facts(FileKind.LinkLoop, null),
                _ => null,
            };
        }

        int mode = BitConverter.ToUInt16(buffer, 28);
        ulong inode = BitConverter.ToUInt64(buffer, 32);
        uint major = BitConverter.ToUInt32(buffer, 136), minor = BitConverter.ToUInt32(buffer, 140);
        FileKind kind = (mode & 0xF000) switch
        {
            0x8000 => FileKind.Regular,
            0x4000 => FileKind.Directory,
            0x2000 => FileKind.CharacterDevice,
            0x6000 => FileKind.BlockDevice,
            0x1000 => FileKind.Fifo,
            0xC000 => FileKind.Socket,
            _ => FileKind.Other,
        };
        return new Facts(kind, $"inode:{major}:{minor}:{inode}");
    }
}
