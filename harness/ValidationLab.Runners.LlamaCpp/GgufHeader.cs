using System.Text;
using ValidationLab.Errors;

namespace ValidationLab.Runners.LlamaCpp;

/// <summary>
/// The opening of a GGUF file: magic, version, counts and the architecture key. Read before llama.cpp sees the file,
/// so that a wrong or truncated file is refused with a clear message naming it, instead of a native failure.
/// </summary>
internal sealed record GgufHeader(uint Version, ulong TensorCount, ulong KeyValueCount, string? Architecture)
{
    private const uint Magic = 0x46554747; // "GGUF" little-endian
    private const int MaxKeysScanned = 64;

    /// <summary>Reads and checks the header; <see cref="InputException"/> naming <paramref name="path"/> and <paramref name="field"/> otherwise.</summary>
    public static GgufHeader Read(string path, string origin, string field)
    {
        if (!File.Exists(path))
        {
            throw new InputException($"model file '{path}' does not exist", origin, field: field);
        }

        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            using var reader = new BinaryReader(stream, Encoding.UTF8, leaveOpen: false);
            if (stream.Length < 24 || reader.ReadUInt32() != Magic)
            {
                throw new InputException($"'{path}' is not a GGUF model file (it does not start with 'GGUF'); convert the model to GGUF first (llama.cpp's convert_hf_to_gguf.py)", origin, field: field);
            }

            var version = reader.ReadUInt32();
            if (version is < 2 or > 3)
            {
                throw new InputException($"'{path}' is GGUF version {version}; llama.cpp reads versions 2 and 3", origin, field: field);
            }

            var tensors = reader.ReadUInt64();
            var keys = reader.ReadUInt64();
            if (tensors > 1_000_000 || keys > 1_000_000)
            {
                throw new InputException($"'{path}' has a corrupt GGUF header ({tensors} tensors, {keys} keys)", origin, field: field);
            }

            string? architecture = null;
            for (ulong i = 0; i < Math.Min(keys, MaxKeysScanned) && architecture is null; i++)
            {
                var key = ReadString(reader);
                var type = reader.ReadUInt32();
                if (key == "general.architecture" && type == 8)
                {
                    architecture = ReadString(reader);
                }
                else
                {
                    Skip(reader, type);
                }
            }

            return new GgufHeader(version, tensors, keys, architecture);
        }
        catch (EndOfStreamException)
        {
            throw new InputException($"'{path}' is truncated: its GGUF header ends early", origin, field: field);
        }
        catch (IOException e)
        {
            throw new InputException($"model file '{path}' cannot be read: {e.Message}", origin, field: field);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new InputException($"model file '{path}' cannot be read: {e.Message}", origin, field: field);
        }
    }

    private static string ReadString(BinaryReader reader)
    {
        var length = reader.ReadUInt64();
        if (length > 1 << 20 || (long)length > reader.BaseStream.Length - reader.BaseStream.Position)
        {
            throw new EndOfStreamException();
        }

        return Encoding.UTF8.GetString(reader.ReadBytes((int)length));
    }

    private static void Skip(BinaryReader reader, uint type)
    {
        switch (type)
        {
            case 0 or 1 or 7: reader.BaseStream.Seek(1, SeekOrigin.Current); break;
            case 2 or 3: reader.BaseStream.Seek(2, SeekOrigin.Current); break;
            case 4 or 5 or 6: reader.BaseStream.Seek(4, SeekOrigin.Current); break;
            case 10 or 11 or 12: reader.BaseStream.Seek(8, SeekOrigin.Current); break;
            case 8: ReadString(reader); break;
            case 9:
                var itemType = reader.ReadUInt32();
                var count = reader.ReadUInt64();
                if (count > (ulong)reader.BaseStream.Length)
                {
                    throw new EndOfStreamException();
                }

                for (ulong i = 0; i < count; i++)
                {
                    Skip(reader, itemType);
                }

                break;
            default: throw new EndOfStreamException();
        }

        if (reader.BaseStream.Position > reader.BaseStream.Length)
        {
            throw new EndOfStreamException();
        }
    }
}
