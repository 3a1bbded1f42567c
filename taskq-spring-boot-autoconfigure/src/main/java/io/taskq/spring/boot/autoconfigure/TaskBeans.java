package io.taskq.spring.boot.autoconfigure;

import io.taskq.Task;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import org.springframework.beans.factory.BeanCreationException;
import org.springframework.beans.factory.BeanCurrentlyInCreationException;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.util.ClassUtils;

/**
 * The application's beans that have {@link Task} methods: registered with the auto-configured {@code Taskq}, and
 * scanned for {@code @Periodic} entries by the auto-configured scheduler. Define a bean of this type to choose the
 * task beans yourself ({@link #of}).
 */
public final class TaskBeans {
    private final List<Object> instances;

    private TaskBeans(List<Object> instances) {
        this.instances = List.copyOf(instances);
    }

    /** Exactly these task objects. */
    public static TaskBeans of(Object... instances) {
        return new TaskBeans(List.of(instances));
    }

    /**
     * Every singleton bean of {@code beanFactory} whose class declares {@link Task} methods (proxies included:
     * a class-based proxy runs the task through its advice, {@code @Transactional} for instance).
     *
     * @throws IllegalStateException if such a bean is an interface-based proxy (taskq calls the class's method),
     *                               or needs the {@code Taskq} bean to be created (a cycle)
     */
    public static TaskBeans scan(ConfigurableListableBeanFactory beanFactory) {
        List<Object> found = new ArrayList<>();
        for (String name : beanFactory.getBeanDefinitionNames()) {
            if (beanFactory.getBeanDefinition(name).isAbstract() || !beanFactory.isSingleton(name)) {
                continue;
            }
            Class<?> type = beanFactory.getType(name, false);
            if (type != null && Proxy.isProxyClass(type)) {
                // An interface-based proxy shows only its interfaces; the definition knows the class behind it.
                type = beanFactory.getMergedBeanDefinition(name).getResolvableType().resolve();
            }
            if (type == null || !hasTaskMethods(ClassUtils.getUserClass(type))) {
                continue;
            }
            found.add(bean(beanFactory, name));
        }
        for (String name : beanFactory.getSingletonNames()) {
            if (!beanFactory.containsBeanDefinition(name)) {
                Object instance = beanFactory.getSingleton(name);
                if (instance != null && hasTaskMethods(ClassUtils.getUserClass(instance))) {
                    found.add(instance);
                }
            }
        }
        return new TaskBeans(found);
    }

    private static Object bean(ConfigurableListableBeanFactory beanFactory, String name) {
        Object instance;
        try {
            instance = beanFactory.getBean(name);
        } catch (BeanCreationException e) {
            if (causedByCycle(e)) {
                throw new IllegalStateException("bean '" + name + "' has @Task methods and needs the Taskq bean to"
                        + " be created, which needs the task beans first: inject ObjectProvider<Taskq> into it"
                        + " instead of Taskq", e);
            }
            throw e;
        }
        if (Proxy.isProxyClass(instance.getClass())) {
            throw new IllegalStateException("bean '" + name + "' has @Task methods but is an interface-based proxy,"
                    + " which taskq cannot call them on: use class-based proxies"
                    + " (spring.aop.proxy-target-class=true, Spring Boot's default)");
        }
        return instance;
    }

    private static boolean causedByCycle(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BeanCurrentlyInCreationException) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code type} or a superclass declares a {@link Task} method. */
    static boolean hasTaskMethods(Class<?> type) {
        if (type.getName().startsWith("org.springframework.")) {
            return false;
        }
        try {
            for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
                for (Method m : c.getDeclaredMethods()) {
                    if (m.isAnnotationPresent(Task.class)) {
                        return true;
                    }
                }
            }
        } catch (LinkageError e) {
            // a class whose methods mention classes absent from the classpath (an optional dependency): not ours
            return false;
        }
        return false;
    }

    /** The task objects. */
    public List<Object> instances() {
        return instances;
    }

    /** The task objects' classes (proxies unwrapped), for scanning annotations. */
    public List<Class<?>> classes() {
        return instances.stream().<Class<?>>map(ClassUtils::getUserClass).toList();
    }
}
