package io.taskq.internal;

import java.io.Serializable;
import java.lang.invoke.MethodHandleInfo;
import java.lang.invoke.MethodType;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.Method;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds the method a {@link io.taskq.TaskRef} method reference points to. Java exposes that only through
 * {@link SerializedLambda}, obtained by calling the lambda's synthetic {@code writeReplace}; nothing is serialized
 * or deserialized. Results are cached per lambda class, so this runs once per call site.
 */
public final class MethodRefs {
    private static final ConcurrentHashMap<Class<?>, TaskDefinition> CACHE = new ConcurrentHashMap<>();

    private MethodRefs() {
    }

    /** The task definition of the referenced method. */
    public static TaskDefinition definitionOf(Serializable ref) {
        return CACHE.computeIfAbsent(ref.getClass(), c -> TaskDefinition.of(methodOf(ref)));
    }

    static Method methodOf(Serializable ref) {
        SerializedLambda lambda;
        try {
            Method writeReplace = ref.getClass().getDeclaredMethod("writeReplace");
            writeReplace.setAccessible(true);
            lambda = (SerializedLambda) writeReplace.invoke(ref);
        } catch (ReflectiveOperationException | ClassCastException | SecurityException e) {
            throw new IllegalArgumentException("pass a method reference such as EmailTasks::send, not a lambda or "
                    + "another object (" + ref.getClass().getName() + ")", e);
        }
        if (lambda.getImplMethodName().startsWith("lambda$")) {
            throw new IllegalArgumentException("pass a method reference such as EmailTasks::send, not a lambda");
        }
        int kind = lambda.getImplMethodKind();
        if (kind != MethodHandleInfo.REF_invokeVirtual && kind != MethodHandleInfo.REF_invokeInterface) {
            throw new IllegalArgumentException("pass an unbound instance method reference such as EmailTasks::send"
                    + " (got " + lambda.getImplClass() + "." + lambda.getImplMethodName() + ")");
        }
        try {
            ClassLoader loader = ref.getClass().getClassLoader();
            Class<?> owner = Class.forName(lambda.getImplClass().replace('/', '.'), false, loader);
            MethodType type = MethodType.fromMethodDescriptorString(lambda.getImplMethodSignature(), loader);
            return findMethod(owner, lambda.getImplMethodName(), type.parameterArray());
        } catch (ClassNotFoundException | NoSuchMethodException e) {
            throw new IllegalArgumentException("cannot resolve method reference " + lambda.getImplClass() + "."
                    + lambda.getImplMethodName(), e);
        }
    }

    private static Method findMethod(Class<?> owner, String name, Class<?>[] params) throws NoSuchMethodException {
        for (Class<?> c = owner; c != null; c = c.getSuperclass()) {
            try {
                return c.getDeclaredMethod(name, params);
            } catch (NoSuchMethodException ignored) {
                // declared higher up
            }
        }
        return owner.getMethod(name, params);
    }
}
