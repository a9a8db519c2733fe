using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;

namespace QuantEdge.NfCheck;

/// <summary>The rules; tools/README.md says why each exists.</summary>
public enum Rule
{
    /// <summary>(a) generic types, methods, instantiations or type parameters.</summary>
    Generics,

    /// <summary>(b) multidimensional arrays, pointers, function pointers.</summary>
    ArrayOrPointer,

    /// <summary>(c) types the compiler synthesized into the assembly.</summary>
    SynthesizedType,

    /// <summary>(d) references to assemblies, types or members the nanoFramework mscorlib lacks.</summary>
    Mscorlib,

    /// <summary>(e) floating point types or IL.</summary>
    FloatingPoint,

    /// <summary>(f) allocation or calls out of the assembly on a path from a root; missing roots.</summary>
    Allocation,

    /// <summary>(g) an interop assembly holding anything but one class of static extern methods.</summary>
    Interop,
}

/// <summary>One finding: the type or member it is about, and what is wrong.</summary>
public sealed record Violation(Rule Rule, string Location, string Message)
{
    public string Tag => Rule switch
    {
        Rule.Generics => "generics",
        Rule.ArrayOrPointer => "array/pointer",
        Rule.SynthesizedType => "synthesized",
        Rule.Mscorlib => "mscorlib",
        Rule.FloatingPoint => "float",
        Rule.Interop => "interop",
        _ => "allocation",
    };

    public override string ToString() => $"[{Tag}] {Location}: {Message}";
}

/// <summary>What a check found, and what it covered.</summary>
public sealed record CheckResult(IReadOnlyList<Violation> Violations, int Types, int Methods, IReadOnlyList<string> Roots, int ReachableMethods);

/// <summary>Holds an assembly to what nanoCLR 1.x runs (nanoframework-facts.md §2, §7).</summary>
public static class Checks
{
    /// <summary>The interpreter's entry point: the default allocation root.</summary>
    public const string ModelRoot = "QuantEdge.Runtime.Model::Invoke";

    /// <summary>Every public static Eval here is an allocation root; --il reports loops here.</summary>
    public const string KernelNamespace = "QuantEdge.Runtime.Kernels";

    /// <summary>
    /// Runs every rule. <paramref name="modelRoots"/> ("Namespace.Type::Method") replace
    /// <see cref="ModelRoot"/> (an empty list: no model root, for device assemblies other than the
    /// runtime); the kernels' Eval methods are always roots too. <paramref name="deviceReferences"/>
    /// names the device assemblies (checked on their own) that may be referenced besides mscorlib;
    /// <paramref name="nativeReferences"/> the interop assemblies (checked on their own with
    /// <see cref="InteropShape"/>): they may be referenced too, and calls into them are allowed on paths from
    /// the roots, since each of their methods is C that allocates nothing on the managed heap.
    /// </summary>
    public static CheckResult Run(ModuleImage module, NanoCorlib corlib, IReadOnlyList<string>? modelRoots = null,
        IReadOnlyCollection<string>? deviceReferences = null, IReadOnlyCollection<string>? nativeReferences = null) =>
        new CheckRun(module, corlib, deviceReferences ?? [], nativeReferences ?? []).Run(modelRoots ?? new[] { ModelRoot });

    /// <summary>
    /// The rule for an interop assembly (Rule.Interop): it holds one public static class whose methods are all
    /// static extern (InternalCall) and nothing else: no other type, field, property, event or method with a body.
    /// A firmware finds each native method by its position among the assembly's methods, so anything more
    /// shifts them and the wrong C body runs (shared/nanoframework/README.md, "Native methods").
    /// </summary>
    public static IReadOnlyList<Violation> InteropShape(ModuleImage module)
    {
        MetadataReader reader = module.Reader;
        List<Violation> found = new();
        List<TypeDefinitionHandle> types = reader.TypeDefinitions.Where(t => Names.TypeDef(reader, t) != "<Module>").ToList();
        if (types.Count != 1)
        {
            found.Add(new Violation(Rule.Interop, module.AssemblyName,
                $"{types.Count} types ({string.Join(", ", types.Select(t => Names.TypeDef(reader, t)))}): an interop assembly holds exactly one class of extern methods"));
        }

        foreach (TypeDefinitionHandle handle in types)
        {
            TypeDefinition type = reader.GetTypeDefinition(handle);
            string name = Names.TypeDef(reader, handle);
            TypeAttributes staticClass = TypeAttributes.Abstract | TypeAttributes.Sealed | TypeAttributes.Public;
            if ((type.Attributes & staticClass) != staticClass || type.IsNested)
            {
                found.Add(new Violation(Rule.Interop, name, "not a public static class"));
            }

            foreach (FieldDefinitionHandle field in type.GetFields())
            {
                found.Add(new Violation(Rule.Interop, Names.Field(reader, field), "a field in the interop class"));
            }

            if (type.GetProperties().Count > 0 || type.GetEvents().Count > 0)
            {
                found.Add(new Violation(Rule.Interop, name, "properties or events in the interop class"));
            }

            foreach (MethodDefinitionHandle methodHandle in type.GetMethods())
            {
                MethodDefinition method = reader.GetMethodDefinition(methodHandle);
                bool internalCall = (method.ImplAttributes & MethodImplAttributes.InternalCall) != 0;
                if ((method.Attributes & MethodAttributes.Static) == 0 || !internalCall || method.RelativeVirtualAddress != 0)
                {
                    found.Add(new Violation(Rule.Interop, Names.Method(reader, methodHandle),
                        "not a static extern [MethodImpl(MethodImplOptions.InternalCall)] method"));
                }
            }
        }

        return found;
    }

    public static bool InKernelNamespace(MetadataReader reader, TypeDefinitionHandle type)
    {
        string ns = Names.OutermostNamespace(reader, type);
        return ns == KernelNamespace || ns.StartsWith(KernelNamespace + ".", StringComparison.Ordinal);
    }

    private static bool HasAttribute(MetadataReader reader, CustomAttributeHandleCollection attributes, string attributeType) =>
        attributes.Any(a => AttributeType(reader, reader.GetCustomAttribute(a).Constructor) == attributeType);

    private static string AttributeType(MetadataReader reader, EntityHandle constructor) => constructor.Kind switch
    {
        HandleKind.MethodDefinition => Names.TypeDef(reader, reader.GetMethodDefinition((MethodDefinitionHandle)constructor).GetDeclaringType()),
        HandleKind.MemberReference => Names.Type(reader, reader.GetMemberReference((MemberReferenceHandle)constructor).Parent),
        _ => "",
    };

    private static bool IsFloatOpCode(ILOpCode opCode) => opCode is ILOpCode.Ldc_r4 or ILOpCode.Ldc_r8 or ILOpCode.Conv_r4
        or ILOpCode.Conv_r8 or ILOpCode.Conv_r_un or ILOpCode.Ckfinite or ILOpCode.Ldelem_r4 or ILOpCode.Ldelem_r8
        or ILOpCode.Stelem_r4 or ILOpCode.Stelem_r8 or ILOpCode.Ldind_r4 or ILOpCode.Ldind_r8 or ILOpCode.Stind_r4
        or ILOpCode.Stind_r8;

    private sealed class CheckRun
    {
        private readonly ModuleImage _module;
        private readonly MetadataReader _reader;
        private readonly NanoCorlib _corlib;
        private readonly SignatureTypes _types = new();
        private readonly string _assembly;
        private readonly IReadOnlyCollection<string> _deviceReferences;
        private readonly IReadOnlyCollection<string> _nativeReferences;

        /// <summary>Who uses each TypeRef, TypeSpec, MemberRef, MethodSpec and standalone signature.</summary>
        private readonly Dictionary<EntityHandle, List<string>> _users = new();

        private readonly Dictionary<MethodDefinitionHandle, List<Instruction>> _il = new();
        private readonly List<Violation> _violations = new();
        private readonly Dictionary<TypeDefinitionHandle, HashSet<string>> _ancestors = new();
        private int _methods;

        public CheckRun(ModuleImage module, NanoCorlib corlib, IReadOnlyCollection<string> deviceReferences, IReadOnlyCollection<string> nativeReferences)
        {
            _deviceReferences = deviceReferences;
            _nativeReferences = nativeReferences;
            _module = module;
            _reader = module.Reader;
            _corlib = corlib;
            _assembly = module.AssemblyName;
        }

        public CheckResult Run(IReadOnlyList<string> modelRoots)
        {
            CheckTypes();
            CheckMethodSpecs();
            CheckMemberRefs();
            CheckTypeSpecs();
            CheckStandaloneSignatures();
            CheckReferences();
            (List<string> roots, int reachable) = CheckAllocations(modelRoots);
            List<Violation> violations = _violations.Distinct().OrderBy(v => v.Rule).ToList();
            return new CheckResult(violations, _reader.TypeDefinitions.Count, _methods, roots, reachable);
        }

        private void Add(Rule rule, string location, string message) => _violations.Add(new Violation(rule, location, message));

        private void Use(EntityHandle handle, string user)
        {
            if (!_users.TryGetValue(handle, out List<string>? users))
            {
                _users[handle] = users = new List<string>();
            }

            if (!users.Contains(user))
            {
                users.Add(user);
            }
        }

        /// <summary>Who uses the entity; an unused one is reported against the assembly.</summary>
        private IReadOnlyList<string> UsersOf(EntityHandle handle) =>
            _users.TryGetValue(handle, out List<string>? users) ? users : new[] { _assembly + " (unused " + Names.Token(handle) + ")" };

        /// <summary>Reports what the decoded signature contains and records which types it references.</summary>
        private void CheckSignature(SigType signature, IReadOnlyList<string> locations, string what)
        {
            foreach (string location in locations)
            {
                if ((signature.Flags & SigFlags.Generic) != 0)
                {
                    Add(Rule.Generics, location, $"generic instantiation or type parameter in {what}: {signature.Text}");
                }

                if ((signature.Flags & SigFlags.MultiDimArray) != 0)
                {
                    Add(Rule.ArrayOrPointer, location, $"multidimensional array in {what}: {signature.Text}");
                }

                if ((signature.Flags & SigFlags.Pointer) != 0)
                {
                    Add(Rule.ArrayOrPointer, location, $"pointer type in {what}: {signature.Text}");
                }

                if ((signature.Flags & SigFlags.Float) != 0)
                {
                    Add(Rule.FloatingPoint, location, $"floating point type in {what}: {signature.Text}");
                }
            }

            foreach (TypeReferenceHandle referenced in _types.TakeReferencedTypes())
            {
                foreach (string location in locations)
                {
                    Use(referenced, location);
                }
            }
        }

        private void CheckGenericParameters(GenericParameterHandleCollection parameters, string location, string owner)
        {
            foreach (GenericParameterHandle handle in parameters)
            {
                Add(Rule.Generics, location, $"generic {owner}: type parameter {_reader.GetString(_reader.GetGenericParameter(handle).Name)}");
            }
        }

        private void UseAttributes(CustomAttributeHandleCollection attributes, string user)
        {
            foreach (CustomAttributeHandle handle in attributes)
            {
                Use(_reader.GetCustomAttribute(handle).Constructor, user);
            }
        }

        private void CheckTypes()
        {
            UseAttributes(_reader.GetCustomAttributes(EntityHandle.AssemblyDefinition), _assembly);
            UseAttributes(_reader.GetCustomAttributes(EntityHandle.ModuleDefinition), _assembly);
            foreach (TypeDefinitionHandle handle in _reader.TypeDefinitions)
            {
                TypeDefinition type = _reader.GetTypeDefinition(handle);
                string name = Names.TypeDef(_reader, handle);
                string ns = Names.OutermostNamespace(_reader, handle);
                if (ns.StartsWith("System", StringComparison.Ordinal) || ns.StartsWith("Microsoft.CodeAnalysis", StringComparison.Ordinal))
                {
                    Add(Rule.SynthesizedType, name, $"type defined in namespace {ns}: a compiler-synthesized type or a copy of an mscorlib type");
                }
                else if (HasAttribute(_reader, type.GetCustomAttributes(), "Microsoft.CodeAnalysis.EmbeddedAttribute"))
                {
                    Add(Rule.SynthesizedType, name, "type marked [Embedded]: synthesized by the compiler");
                }

                CheckGenericParameters(type.GetGenericParameters(), name, "type");
                if (!type.BaseType.IsNil)
                {
                    Use(type.BaseType, name);
                }

                foreach (InterfaceImplementationHandle implementation in type.GetInterfaceImplementations())
                {
                    Use(_reader.GetInterfaceImplementation(implementation).Interface, name);
                }

                foreach (MethodImplementationHandle implementation in type.GetMethodImplementations())
                {
                    Use(_reader.GetMethodImplementation(implementation).MethodDeclaration, name);
                }

                UseAttributes(type.GetCustomAttributes(), name);
                foreach (FieldDefinitionHandle fieldHandle in type.GetFields())
                {
                    FieldDefinition field = _reader.GetFieldDefinition(fieldHandle);
                    string location = Names.Field(_reader, fieldHandle);
                    CheckSignature(field.DecodeSignature(_types, null), new[] { location }, "field type");
                    UseAttributes(field.GetCustomAttributes(), location);
                }

                foreach (MethodDefinitionHandle methodHandle in type.GetMethods())
                {
                    CheckMethod(methodHandle);
                }

                foreach (PropertyDefinitionHandle propertyHandle in type.GetProperties())
                {
                    PropertyDefinition property = _reader.GetPropertyDefinition(propertyHandle);
                    string location = name + "::" + _reader.GetString(property.Name);
                    CheckSignature(SignatureTypes.Method(property.DecodeSignature(_types, null)), new[] { location }, "property type");
                    UseAttributes(property.GetCustomAttributes(), location);
                }

                foreach (EventDefinitionHandle eventHandle in type.GetEvents())
                {
                    EventDefinition definition = _reader.GetEventDefinition(eventHandle);
                    Use(definition.Type, name + "::" + _reader.GetString(definition.Name));
                }
            }
        }

        private void CheckMethod(MethodDefinitionHandle handle)
        {
            _methods++;
            MethodDefinition method = _reader.GetMethodDefinition(handle);
            string location = Names.Method(_reader, handle);
            CheckGenericParameters(method.GetGenericParameters(), location, "method");
            CheckSignature(SignatureTypes.Method(method.DecodeSignature(_types, null)), new[] { location }, "method signature");
            UseAttributes(method.GetCustomAttributes(), location);
            foreach (ParameterHandle parameter in method.GetParameters())
            {
                UseAttributes(_reader.GetParameter(parameter).GetCustomAttributes(), location);
            }

            MethodBodyBlock? body = _module.Body(handle);
            if (body == null)
            {
                return;
            }

            if (!body.LocalSignature.IsNil)
            {
                Use(body.LocalSignature, location);
            }

            foreach (ExceptionRegion region in body.ExceptionRegions)
            {
                if (!region.CatchType.IsNil)
                {
                    Use(region.CatchType, location);
                }
            }

            List<Instruction> il = Il.Decode(body);
            _il[handle] = il;
            List<string> floatOps = il.Where(i => IsFloatOpCode(i.OpCode)).Select(i => i.Mnemonic).Distinct().ToList();
            if (floatOps.Count > 0)
            {
                Add(Rule.FloatingPoint, location, "floating point IL: " + string.Join(", ", floatOps));
            }

            foreach (Instruction instruction in il)
            {
                if (Il.HasTokenOperand(instruction.OpCode) && instruction.OpCode != ILOpCode.Ldstr)
                {
                    Use(instruction.Handle, location);
                }
            }
        }

        private static IEnumerable<T> Rows<T>(MetadataReader reader, TableIndex table, Func<int, T> handle) =>
            Enumerable.Range(1, reader.GetTableRowCount(table)).Select(handle);

        private void CheckMethodSpecs()
        {
            foreach (MethodSpecificationHandle handle in Rows(_reader, TableIndex.MethodSpec, MetadataTokens.MethodSpecificationHandle))
            {
                MethodSpecification spec = _reader.GetMethodSpecification(handle);
                IReadOnlyList<string> users = UsersOf(handle);
                foreach (string user in users)
                {
                    Use(spec.Method, user);
                    Add(Rule.Generics, user, "generic method instantiation " + Names.Entity(_reader, handle));
                }

                CheckSignature(SignatureTypes.Sequence(spec.DecodeSignature(_types, null)), users, "generic method arguments");
            }
        }

        private void CheckMemberRefs()
        {
            foreach (MemberReferenceHandle handle in _reader.MemberReferences)
            {
                MemberReference member = _reader.GetMemberReference(handle);
                IReadOnlyList<string> users = UsersOf(handle);
                foreach (string user in users)
                {
                    Use(member.Parent, user);
                }

                CheckSignature(Names.MemberRefSignature(_reader, member, _types), users, "reference to " + Names.MemberRefOwner(_reader, member));
            }
        }

        private void CheckTypeSpecs()
        {
            foreach (TypeSpecificationHandle handle in Rows(_reader, TableIndex.TypeSpec, MetadataTokens.TypeSpecificationHandle))
            {
                SigType type = _reader.GetTypeSpecification(handle).DecodeSignature(_types, null);
                CheckSignature(type, UsersOf(handle), "TypeSpec");
            }
        }

        private void CheckStandaloneSignatures()
        {
            foreach (StandaloneSignatureHandle handle in Rows(_reader, TableIndex.StandAloneSig, MetadataTokens.StandaloneSignatureHandle))
            {
                StandaloneSignature signature = _reader.GetStandaloneSignature(handle);
                if (signature.GetKind() == StandaloneSignatureKind.LocalVariables)
                {
                    CheckSignature(SignatureTypes.Sequence(signature.DecodeLocalSignature(_types, null)), UsersOf(handle), "local variables");
                }
                else
                {
                    CheckSignature(SignatureTypes.Method(signature.DecodeMethodSignature(_types, null)), UsersOf(handle), "calli signature");
                }
            }
        }

        private void CheckReferences()
        {
            foreach (AssemblyReferenceHandle handle in _reader.AssemblyReferences)
            {
                string name = _reader.GetString(_reader.GetAssemblyReference(handle).Name);
                if (name != "mscorlib" && !_deviceReferences.Contains(name) && !_nativeReferences.Contains(name))
                {
                    Add(Rule.Mscorlib, _assembly, $"references assembly {name}: only mscorlib and the device assemblies may be referenced");
                }
            }

            foreach (ModuleReferenceHandle handle in Rows(_reader, TableIndex.ModuleRef, MetadataTokens.ModuleReferenceHandle))
            {
                Add(Rule.Mscorlib, _assembly, $"references native module {_reader.GetString(_reader.GetModuleReference(handle).Name)} (P/Invoke)");
            }

            // A nested type's users use its enclosing types too.
            foreach (TypeReferenceHandle handle in _reader.TypeReferences)
            {
                if (!_users.TryGetValue(handle, out List<string>? users))
                {
                    continue;
                }

                for (EntityHandle scope = _reader.GetTypeReference(handle).ResolutionScope; scope.Kind == HandleKind.TypeReference;
                     scope = _reader.GetTypeReference((TypeReferenceHandle)scope).ResolutionScope)
                {
                    users.ForEach(user => Use(scope, user));
                }
            }

            foreach (TypeReferenceHandle handle in _reader.TypeReferences)
            {
                string name = Names.TypeRef(_reader, handle);
                if (Names.IsFloatType(name))
                {
                    foreach (string user in UsersOf(handle))
                    {
                        Add(Rule.FloatingPoint, user, "uses floating point type " + name);
                    }
                }

                if (FromMscorlib(handle) && !_corlib.HasType(name))
                {
                    foreach (string user in UsersOf(handle))
                    {
                        Add(Rule.Mscorlib, user, $"uses {name}, which nanoFramework mscorlib {_corlib.Version} does not define");
                    }
                }
            }

            foreach (MemberReferenceHandle handle in _reader.MemberReferences)
            {
                MemberReference member = _reader.GetMemberReference(handle);
                if (member.Parent.Kind != HandleKind.TypeReference || !FromMscorlib((TypeReferenceHandle)member.Parent))
                {
                    continue;
                }

                string type = Names.TypeRef(_reader, (TypeReferenceHandle)member.Parent);
                string key = NanoCorlib.MemberKey(_reader.GetString(member.Name), Names.MemberRefSignature(_reader, member, new SignatureTypes()));
                if (_corlib.HasType(type) && !_corlib.HasMember(type, key))
                {
                    foreach (string user in UsersOf(handle))
                    {
                        Add(Rule.Mscorlib, user, $"uses {Names.MemberRef(_reader, handle)}, which nanoFramework mscorlib {_corlib.Version} has no member with that name and signature");
                    }
                }
            }
        }

        private bool FromMscorlib(TypeReferenceHandle handle)
        {
            EntityHandle scope = _reader.GetTypeReference(handle).ResolutionScope;
            while (scope.Kind == HandleKind.TypeReference)
            {
                scope = _reader.GetTypeReference((TypeReferenceHandle)scope).ResolutionScope;
            }

            return scope.Kind == HandleKind.AssemblyReference
                && _reader.GetString(_reader.GetAssemblyReference((AssemblyReferenceHandle)scope).Name) == "mscorlib";
        }

        private (List<string> Roots, int Reachable) CheckAllocations(IReadOnlyList<string> modelRoots)
        {
            List<MethodDefinitionHandle> roots = new();
            foreach (string root in modelRoots)
            {
                List<MethodDefinitionHandle> found = FindMethods(root);
                if (found.Count == 0)
                {
                    Add(Rule.Allocation, root, "root not found: nothing to check for allocation from the interpreter's entry point");
                }

                roots.AddRange(found);
            }

            int modelRootCount = roots.Count;
            foreach (TypeDefinitionHandle typeHandle in _reader.TypeDefinitions.Where(t => InKernelNamespace(_reader, t)))
            {
                foreach (MethodDefinitionHandle handle in _reader.GetTypeDefinition(typeHandle).GetMethods())
                {
                    MethodDefinition method = _reader.GetMethodDefinition(handle);
                    bool publicStatic = (method.Attributes & MethodAttributes.MemberAccessMask) == MethodAttributes.Public
                        && (method.Attributes & MethodAttributes.Static) != 0;
                    if (publicStatic && _reader.GetString(method.Name) == "Eval")
                    {
                        roots.Add(handle);
                    }
                }
            }

            // Breadth first from the model roots, then from the kernels' Eval for whatever the model does
            // not reach: each method is reported with a shortest call path from the model when it has one.
            Dictionary<MethodDefinitionHandle, MethodDefinitionHandle?> cameFrom = new();
            List<MethodDefinitionHandle> order = new();
            Walk(roots.Take(modelRootCount), cameFrom, order);
            Walk(roots.Skip(modelRootCount), cameFrom, order);

            foreach (MethodDefinitionHandle method in order)
            {
                List<string> allocations = Allocations(method);
                if (allocations.Count > 0)
                {
                    List<string> path = new();
                    for (MethodDefinitionHandle? step = method; step != null; step = cameFrom[step.Value])
                    {
                        path.Insert(0, Names.ShortMethod(_reader, step.Value));
                    }

                    Add(Rule.Allocation, Names.Method(_reader, method),
                        $"{string.Join("; ", allocations)} in a method reachable from {path[0]} ({string.Join(" -> ", path)})");
                }
            }

            return (roots.Select(r => Names.Method(_reader, r)).Distinct().ToList(), order.Count);
        }

        private void Walk(IEnumerable<MethodDefinitionHandle> roots, Dictionary<MethodDefinitionHandle, MethodDefinitionHandle?> cameFrom,
            List<MethodDefinitionHandle> order)
        {
            Queue<MethodDefinitionHandle> queue = new();
            foreach (MethodDefinitionHandle root in roots.Where(r => cameFrom.TryAdd(r, null)))
            {
                queue.Enqueue(root);
            }

            while (queue.Count > 0)
            {
                MethodDefinitionHandle method = queue.Dequeue();
                order.Add(method);
                foreach (MethodDefinitionHandle callee in Callees(method).Where(c => cameFrom.TryAdd(c, method)))
                {
                    queue.Enqueue(callee);
                }
            }
        }

        private List<MethodDefinitionHandle> FindMethods(string spec)
        {
            int split = spec.IndexOf("::", StringComparison.Ordinal);
            if (split < 0)
            {
                return new List<MethodDefinitionHandle>();
            }

            string type = spec.Substring(0, split).Replace('+', '/');
            string name = spec.Substring(split + 2);
            return _reader.TypeDefinitions.Where(t => Names.TypeDef(_reader, t) == type)
                .SelectMany(t => _reader.GetTypeDefinition(t).GetMethods())
                .Where(m => _reader.GetString(_reader.GetMethodDefinition(m).Name) == name)
                .ToList();
        }

        private IEnumerable<Instruction> Calls(MethodDefinitionHandle method) =>
            _il.TryGetValue(method, out List<Instruction>? il)
                ? il.Where(i => i.OpCode is ILOpCode.Call or ILOpCode.Callvirt or ILOpCode.Newobj or ILOpCode.Ldftn
                    or ILOpCode.Ldvirtftn or ILOpCode.Jmp)
                : Enumerable.Empty<Instruction>();

        private IEnumerable<MethodDefinitionHandle> Callees(MethodDefinitionHandle method)
        {
            foreach (Instruction call in Calls(method))
            {
                foreach (MethodDefinitionHandle target in InternalTargets(call.Handle))
                {
                    yield return target;
                }

                if (call.OpCode is ILOpCode.Callvirt or ILOpCode.Ldvirtftn)
                {
                    foreach (MethodDefinitionHandle target in Overrides(call.Handle))
                    {
                        yield return target;
                    }
                }
            }
        }

        /// <summary>Methods of this assembly a call token can run; empty when it leaves the assembly.</summary>
        private List<MethodDefinitionHandle> InternalTargets(EntityHandle target)
        {
            switch (target.Kind)
            {
                case HandleKind.MethodDefinition:
                    return new List<MethodDefinitionHandle> { (MethodDefinitionHandle)target };
                case HandleKind.MethodSpecification:
                    return InternalTargets(_reader.GetMethodSpecification((MethodSpecificationHandle)target).Method);
                case HandleKind.MemberReference:
                    MemberReference member = _reader.GetMemberReference((MemberReferenceHandle)target);
                    string name = _reader.GetString(member.Name);
                    if (member.Parent.Kind == HandleKind.MethodDefinition)
                    {
                        return new List<MethodDefinitionHandle> { (MethodDefinitionHandle)member.Parent };
                    }

                    // A member of a generic type of this assembly: every overload of that name may run.
                    TypeDefinitionHandle? owner = member.Parent.Kind switch
                    {
                        HandleKind.TypeDefinition => (TypeDefinitionHandle)member.Parent,
                        HandleKind.TypeSpecification => GenericDefinition((TypeSpecificationHandle)member.Parent),
                        _ => null,
                    };
                    return owner == null
                        ? new List<MethodDefinitionHandle>()
                        : _reader.GetTypeDefinition(owner.Value).GetMethods()
                            .Where(m => _reader.GetString(_reader.GetMethodDefinition(m).Name) == name).ToList();
                default:
                    return new List<MethodDefinitionHandle>();
            }
        }

        private TypeDefinitionHandle? GenericDefinition(TypeSpecificationHandle handle)
        {
            BlobReader blob = _reader.GetBlobReader(_reader.GetTypeSpecification(handle).Signature);
            if (blob.ReadSignatureTypeCode() != SignatureTypeCode.GenericTypeInstance)
            {
                return null;
            }

            blob.ReadSignatureTypeCode();
            EntityHandle definition = blob.ReadTypeHandle();
            return definition.Kind == HandleKind.TypeDefinition ? (TypeDefinitionHandle)definition : null;
        }

        /// <summary>Overrides and implementations, in this assembly, of the virtual method a callvirt names.</summary>
        private IEnumerable<MethodDefinitionHandle> Overrides(EntityHandle target)
        {
            (string Type, string Name, string Signature)? slot = target.Kind switch
            {
                HandleKind.MethodDefinition => Slot((MethodDefinitionHandle)target),
                HandleKind.MemberReference => Slot((MemberReferenceHandle)target),
                _ => null,
            };
            if (slot == null)
            {
                yield break;
            }

            foreach (TypeDefinitionHandle typeHandle in _reader.TypeDefinitions)
            {
                TypeDefinition type = _reader.GetTypeDefinition(typeHandle);
                if (Ancestors(typeHandle).Contains(slot.Value.Type))
                {
                    foreach (MethodDefinitionHandle method in type.GetMethods())
                    {
                        MethodDefinition definition = _reader.GetMethodDefinition(method);
                        if ((definition.Attributes & MethodAttributes.Virtual) != 0 && _reader.GetString(definition.Name) == slot.Value.Name
                            && SignatureTypes.Method(definition.DecodeSignature(new SignatureTypes(), null)).Text == slot.Value.Signature)
                        {
                            yield return method;
                        }
                    }
                }

                foreach (MethodImplementationHandle implementationHandle in type.GetMethodImplementations())
                {
                    MethodImplementation implementation = _reader.GetMethodImplementation(implementationHandle);
                    bool same = implementation.MethodDeclaration == target || implementation.MethodDeclaration.Kind switch
                    {
                        HandleKind.MethodDefinition => Slot((MethodDefinitionHandle)implementation.MethodDeclaration).Equals(slot),
                        HandleKind.MemberReference => Slot((MemberReferenceHandle)implementation.MethodDeclaration).Equals(slot),
                        _ => false,
                    };
                    if (same && implementation.MethodBody.Kind == HandleKind.MethodDefinition)
                    {
                        yield return (MethodDefinitionHandle)implementation.MethodBody;
                    }
                }
            }
        }

        private (string, string, string)? Slot(MethodDefinitionHandle handle)
        {
            MethodDefinition method = _reader.GetMethodDefinition(handle);
            if ((method.Attributes & MethodAttributes.Virtual) == 0)
            {
                return null;
            }

            return (Names.TypeDef(_reader, method.GetDeclaringType()), _reader.GetString(method.Name),
                SignatureTypes.Method(method.DecodeSignature(new SignatureTypes(), null)).Text);
        }

        private (string, string, string)? Slot(MemberReferenceHandle handle)
        {
            MemberReference member = _reader.GetMemberReference(handle);
            return (Names.Type(_reader, member.Parent), _reader.GetString(member.Name),
                Names.MemberRefSignature(_reader, member, new SignatureTypes()).Text);
        }

        /// <summary>Full names of a type's base types and interfaces, through mscorlib's base types too.</summary>
        private HashSet<string> Ancestors(TypeDefinitionHandle handle)
        {
            if (_ancestors.TryGetValue(handle, out HashSet<string>? known))
            {
                return known;
            }

            HashSet<string> ancestors = new(StringComparer.Ordinal);
            _ancestors[handle] = ancestors;
            TypeDefinition type = _reader.GetTypeDefinition(handle);
            List<EntityHandle> supertypes = type.GetInterfaceImplementations()
                .Select(i => _reader.GetInterfaceImplementation(i).Interface).ToList();
            if (!type.BaseType.IsNil)
            {
                supertypes.Add(type.BaseType);
            }

            foreach (EntityHandle supertype in supertypes)
            {
                string name = Names.Type(_reader, supertype);
                ancestors.Add(name);
                if (supertype.Kind == HandleKind.TypeDefinition)
                {
                    ancestors.UnionWith(Ancestors((TypeDefinitionHandle)supertype));
                }
                else
                {
                    ancestors.UnionWith(_corlib.BaseTypes(name));
                }
            }

            return ancestors;
        }

        /// <summary>
        /// mscorlib methods the hot path may call: each is native in the nanoCLR and allocates nothing.
        /// Array.Copy moves elements within or between existing arrays (Reshape, depthwise bias setup).
        /// </summary>
        private static readonly string[] NonAllocatingExternals = ["System.Array::Copy("];

        private static bool IsNonAllocating(string entity) =>
            NonAllocatingExternals.Any(allowed => entity.Contains(allowed, StringComparison.Ordinal));

        /// <summary>A call to a method of one of the interop assemblies (<see cref="_nativeReferences"/>).</summary>
        private bool IsNativeCall(EntityHandle target)
        {
            if (target.Kind != HandleKind.MemberReference)
            {
                return false;
            }

            EntityHandle parent = _reader.GetMemberReference((MemberReferenceHandle)target).Parent;
            if (parent.Kind != HandleKind.TypeReference)
            {
                return false;
            }

            EntityHandle scope = _reader.GetTypeReference((TypeReferenceHandle)parent).ResolutionScope;
            return scope.Kind == HandleKind.AssemblyReference
                && _nativeReferences.Contains(_reader.GetString(_reader.GetAssemblyReference((AssemblyReferenceHandle)scope).Name));
        }

        /// <summary>
        /// What in the method allocates, or may: newarr, newobj, box, and any call out of the assembly. A newobj
        /// whose object is thrown at once (<c>throw new X("constant")</c>) is not counted: it runs only when the
        /// inference fails, never in one that completes (a message built at run time still counts).
        /// </summary>
        private List<string> Allocations(MethodDefinitionHandle method)
        {
            List<string> found = new();
            if (!_il.TryGetValue(method, out List<Instruction>? il))
            {
                return found;
            }

            for (int i = 0; i < il.Count; i++)
            {
                Instruction instruction = il[i];
                if (instruction.OpCode == ILOpCode.Newobj && i + 1 < il.Count && il[i + 1].OpCode == ILOpCode.Throw)
                {
                    continue;
                }

                string? allocation = instruction.OpCode switch
                {
                    ILOpCode.Newarr => "newarr " + Names.Type(_reader, instruction.Handle),
                    ILOpCode.Newobj => "newobj " + Names.Entity(_reader, instruction.Handle),
                    ILOpCode.Box => "box " + Names.Type(_reader, instruction.Handle),
                    ILOpCode.Calli => "calli (an indirect call: its target cannot be checked)",
                    ILOpCode.Call or ILOpCode.Callvirt when InternalTargets(instruction.Handle).Count == 0
                        && !IsNonAllocating(Names.Entity(_reader, instruction.Handle)) && !IsNativeCall(instruction.Handle) =>
                        $"{instruction.Mnemonic} {Names.Entity(_reader, instruction.Handle)} (outside the assembly; may allocate)",
                    _ => null,
                };
                if (allocation != null && !found.Contains(allocation))
                {
                    found.Add(allocation);
                }
            }

            return found;
        }
    }
}
