package io.taskq.test;
