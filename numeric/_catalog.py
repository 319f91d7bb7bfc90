"""numeric's runtime tables, generated from derive's catalog. DO NOT EDIT BY HAND.

Written by ``python -m derive codegen`` from ``derive/catalog`` (one file per component):
the names, aliases, hyperparameters (default, valid interval) and the names of the
generated functions (:mod:`numeric._generated`) of each hidden activation and optimizer.
Plain data, so that ``numeric`` imports nothing but NumPy.
"""

inf = float("inf")

HIDDEN = ('sigmoid', 'tanh', 'relu', 'leaky_relu', 'swish', 'softplus')

HIDDEN_ALIASES = {'silu': 'swish'}

# name -> generated functions (g, g', g' from A), hyperparameters
# (name, default, low, high, closed ends, meaning), properties for checks.
HIDDEN_SPECS = {'sigmoid': {'g': 'sigmoid',
             'g_prime': 'sigmoid_prime',
             'g_prime_from_a': 'sigmoid_prime_from_a',
             'hyper': (),
             'analytic': True,
             'kinks': (),
             'plot_range': (-4.0, 4.0)},
 'tanh': {'g': 'tanh',
          'g_prime': 'tanh_prime',
          'g_prime_from_a': 'tanh_prime_from_a',
          'hyper': (),
          'analytic': True,
          'kinks': (),
          'plot_range': (-4.0, 4.0)},
 'relu': {'g': 'relu',
          'g_prime': 'relu_prime',
          'g_prime_from_a': None,
          'hyper': (),
          'analytic': False,
          'kinks': (0.0,),
          'plot_range': (-4.0, 4.0)},
 'leaky_relu': {'g': 'leaky_relu',
                'g_prime': 'leaky_relu_prime',
                'g_prime_from_a': None,
                'hyper': (('alpha', 0.01, 0.0, 1.0, '', 'slope for z < 0'),),
                'analytic': False,
                'kinks': (0.0,),
                'plot_range': (-4.0, 4.0)},
 'swish': {'g': 'swish',
           'g_prime': 'swish_prime',
           'g_prime_from_a': None,
           'hyper': (),
           'analytic': True,
           'kinks': (),
           'plot_range': (-4.0, 4.0)},
 'softplus': {'g': 'softplus',
              'g_prime': 'softplus_prime',
              'g_prime_from_a': None,
              'hyper': (),
              'analytic': True,
              'kinks': (),
              'plot_range': (-4.0, 4.0)}}

OPTIMIZERS = ('gd', 'momentum', 'rmsprop', 'adam')

OPTIMIZER_SPECS = {'gd': {'class_name': 'GradientDescent',
        'hyper': (('learning_rate', 0.01, 0.0, inf, '', 'step size'),),
        'state': (),
        'counts_steps': False,
        'adaptive': False,
        'update': 'gradient_descent_update',
        'inplace': 'gradient_descent_update_inplace',
        'summary': 'W := W - learning_rate dW.'},
 'momentum': {'class_name': 'Momentum',
              'hyper': (('learning_rate', 0.01, 0.0, inf, '', 'step size'),
                        ('beta', 0.9, 0.0, 1.0, 'low', "decay of the gradients' average")),
              'state': ('v',),
              'counts_steps': False,
              'adaptive': False,
              'update': 'momentum_update',
              'inplace': 'momentum_update_inplace',
              'summary': 'Momentum: v := beta v + (1 - beta) dW; W := W - learning_rate '
                         'v.'},
 'rmsprop': {'class_name': 'RMSprop',
             'hyper': (('learning_rate', 0.001, 0.0, inf, '', 'step size'),
                       ('beta', 0.9, 0.0, 1.0, 'low', "decay of the squares' average"),
                       ('epsilon',
                        1e-08,
                        0.0,
                        inf,
                        '',
                        'added to the root of the second moment')),
             'state': ('s',),
             'counts_steps': False,
             'adaptive': True,
             'update': 'rmsprop_update',
             'inplace': 'rmsprop_update_inplace',
             'summary': 'RMSprop: s := beta s + (1 - beta) dW^2; W := W - learning_rate dW '
                        '/ (sqrt(s) + epsilon).'},
 'adam': {'class_name': 'Adam',
          'hyper': (('learning_rate', 0.001, 0.0, inf, '', 'step size'),
                    ('beta1', 0.9, 0.0, 1.0, 'low', 'decay of the first moment'),
                    ('beta2', 0.999, 0.0, 1.0, 'low', 'decay of the second moment'),
                    ('epsilon',
                     1e-08,
                     0.0,
                     inf,
                     '',
                     'added to the root of the second moment'),
                    ('eps_root',
                     0.0,
                     0.0,
                     inf,
                     'low',
                     "added inside the root (optax's eps_root)")),
          'state': ('v', 's'),
          'counts_steps': True,
          'adaptive': True,
          'update': 'adam_update',
          'inplace': 'adam_update_inplace',
          'summary': 'Adam with bias correction; epsilon outside the square root.'}}
